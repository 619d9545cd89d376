/**
 * A replica of data-parallel training (see data-parallel.ts), on its own worker thread with its own
 * tfjs engine and WebAssembly instance. It rebuilds the model and the optimizer from what the
 * calling thread sent, then loops without returning to its event loop: wait for a batch, write
 * the gradients, wait for the averaged gradients, apply them, as every replica does, so that all
 * replicas hold the same weights after every step.
 */
import { workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
// lepton's own layers, registered for modelFromJSON
import "../zoo/layers/multi-head-attention";
import "../zoo/layers/position-embedding";
import "../zoo/layers/masked-mean-pooling";
import { ready, type BackendName } from "./resolve";
import { seed } from "./random";
import { applyGradients, decayWeights, makeGradients, resolveOptimizer } from "./step";
import { allWeights, asInt32, Ctrl, layout, waitUntil, word, writeError, type LayoutSpec } from "./data-parallel-layout";

/** What the calling thread gives each replica. */
export interface ReplicaSetup {
  replica: number;
  buffer: SharedArrayBuffer;
  spec: LayoutSpec;
  backend?: BackendName;
  /** `model.toJSON(null, false)`. */
  topology: string;
  /** Every weight's values, in `allWeights(model)` order. */
  weights: { values: Float32Array | Int32Array; dtype: tf.DataType }[];
  optimizer: { className: string; config: tf.serialization.ConfigDict };
  /** The optimizer's state (`getWeights()`), each slot named by the index of its model weight. */
  optimizerState: { weightIndex: number; suffix: string; values: Float32Array; shape: number[] }[];
  /** Iterations the optimizer has taken (its "iter" weight), or undefined for a new one. */
  iterations?: number;
  loss: string;
  /** Decoupled weight decay, applied by every replica alike (0: none). */
  weightDecay: number;
  inputShape: number[];
  labelShape: number[];
}

function rebuildOptimizer(setup: ReplicaSetup, model: tf.LayersModel): tf.Optimizer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[setup.optimizer.className];
  if (!entry) return resolveOptimizer(setup.optimizer.className.replace(/Optimizer$/, "").toLowerCase());
  const [cls, fromConfig] = entry;
  return fromConfig(cls, setup.optimizer.config) as unknown as tf.Optimizer;
}

async function restoreOptimizerState(setup: ReplicaSetup, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
  if (setup.iterations === undefined && setup.optimizerState.length === 0) return;
  const names = allWeights(model).map((w) => (w.read() as tf.Variable).name);
  const state: { name: string; tensor: tf.Tensor }[] = [{ name: "iter", tensor: tf.scalar(setup.iterations ?? 0, "int32") }];
  for (const s of setup.optimizerState) state.push({ name: `${names[s.weightIndex]}${s.suffix}`, tensor: tf.tensor(s.values, s.shape) });
  await optimizer.setWeights(state);
}

async function main(setup: ReplicaSetup): Promise<void> {
  const l = layout(setup.spec, setup.buffer);
  const me = setup.replica;
  const ctrl = l.ctrl;
  try {
    await ready({ backend: setup.backend });
    const model = await tf.models.modelFromJSON(JSON.parse(setup.topology));
    // Layer by layer, as they were sent (model.setWeights expects trainable weights first).
    allWeights(model).forEach((w, i) => {
      const value = tf.tensor(setup.weights[i].values, w.shape as number[], setup.weights[i].dtype);
      w.write(value);
      value.dispose();
    });
    const optimizer = rebuildOptimizer(setup, model);
    await restoreOptimizerState(setup, model, optimizer);
    const gradients = makeGradients(model, setup.loss);
    const names = allWeights(model).map((w) => (w.read() as tf.Variable).name);
    const shapes = allWeights(model).map((w) => w.shape as number[]);
    let last = 0;
    Atomics.store(ctrl, word(me, Ctrl.Done), -1); // ready
    Atomics.notify(ctrl, word(me, Ctrl.Done));
    for (;;) {
      waitUntil(ctrl, word(me, Ctrl.Job), (job) => job !== last);
      const job = Atomics.load(ctrl, word(me, Ctrl.Job));
      last = job;
      if (Atomics.load(ctrl, word(me, Ctrl.Command)) === 1) return;
      model.layers.forEach((layer, i) => { if (layer.trainable !== (l.trainableLayers[i] === 1)) layer.trainable = l.trainableLayers[i] === 1; });
      seed(Atomics.load(ctrl, word(me, Ctrl.Seed)));
      const rows = Atomics.load(ctrl, word(me, Ctrl.Rows));
      const trainable = new Set(model.trainableWeights.map((w) => (w.read() as tf.Variable).name));
      if (rows > 0) tf.tidy(() => {
        const xv = l.x[me].subarray(0, rows * setup.spec.xRow);
        const yRow = Atomics.load(ctrl, word(me, Ctrl.YRow));
        const yv = l.y[me].subarray(0, rows * yRow);
        // Class ids against a model with several outputs per row travel as one value per row.
        const yShape = yRow === setup.spec.yRow ? [rows, ...setup.labelShape] : [rows];
        const x = ctrl[word(me, Ctrl.XInt)] ? tf.tensor(asInt32(xv), [rows, ...setup.inputShape], "int32") : tf.tensor(xv, [rows, ...setup.inputShape]);
        const y = ctrl[word(me, Ctrl.YInt)] ? tf.tensor(asInt32(yv), yShape, "int32") : tf.tensor(yv, yShape);
        const { value, grads } = gradients(x, y);
        names.forEach((name, i) => {
          if (trainable.has(name)) l.grads[me].set(grads[name].dataSync() as Float32Array, l.weightOffset[i]);
        });
        l.loss[me] = value.dataSync()[0];
      });
      Atomics.store(ctrl, word(me, Ctrl.Done), job);
      Atomics.notify(ctrl, word(me, Ctrl.Done));
      waitUntil(ctrl, word(0, Ctrl.Averaged), (averaged) => averaged === job);
      if (Atomics.load(ctrl, word(0, Ctrl.Skip)) !== job) tf.tidy(() => {
        const grads: tf.NamedTensorMap = {};
        names.forEach((name, i) => {
          if (!trainable.has(name)) return;
          const size = setup.spec.weightSizes[i];
          grads[name] = tf.tensor(l.averaged.subarray(l.weightOffset[i], l.weightOffset[i] + size), shapes[i]);
        });
        (optimizer as unknown as { learningRate: number }).learningRate = l.learningRate[0];
        if (setup.weightDecay > 0) decayWeights(model, optimizer, setup.weightDecay);
        applyGradients(optimizer, grads);
      });
      Atomics.store(ctrl, word(me, Ctrl.Applied), job);
      Atomics.notify(ctrl, word(me, Ctrl.Applied));
    }
  } catch (err) {
    writeError(l.errorText[me], (err as Error)?.message ?? String(err));
    Atomics.store(ctrl, word(me, Ctrl.Error), 1);
    // Wake the calling thread wherever it waits.
    Atomics.store(ctrl, word(me, Ctrl.Done), Atomics.load(ctrl, word(me, Ctrl.Job)));
    Atomics.notify(ctrl, word(me, Ctrl.Done));
  }
}

void main(workerData as ReplicaSetup);
