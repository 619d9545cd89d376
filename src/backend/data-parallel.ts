/**
 * Data-parallel training on worker threads, to use more than one core with the wasm backend
 * (whose kernels run on one thread). Each replica, the calling thread included, holds the whole
 * model; a batch is split between them, each computes the gradients of its rows, the calling
 * thread averages them weighted by rows (one pass, written to shared memory), and every replica
 * applies the same average with the same optimizer state, so the weights stay identical without
 * being copied. Batches and gradients travel through one SharedArrayBuffer (data-parallel-layout.ts)
 * and the threads wait on each other with Atomics, so a step stays synchronous like
 * {@link makeTrainStep}'s.
 *
 * What differs from one thread: batch-norm moving statistics are each replica's own (from its
 * share of the rows; the calling thread's are the model's), and dropout draws come from a stream
 * per replica seeded from the calling thread's stream, so a seeded run repeats exactly but does
 * not equal a one-thread run.
 *
 * Measured on the 2-core EPYC with nothing else running, samples/s, one thread vs two replicas: see
 * `npm run bench:train` (engine wasm-lean-2) and the README.
 */
import * as tf from "@tensorflow/tfjs";
import type { Worker } from "node:worker_threads";
import { LeptonError } from "../i18n/index";
import { activeBackend } from "./resolve";
import { applyGradients, checkWeightDecay, decayWeights, makeGradients, resolveOptimizer, type TrainStep, type TrainStepOptions } from "./step";
import { slotOwner } from "./optimizer-slots";
import { allWeights, asInt32, Ctrl, layout, readError, waitUntil, word, type Layout } from "./data-parallel-layout";
import type { ReplicaSetup } from "./data-parallel-worker";
import { startModuleWorker } from "./worker-start";

/** Options of {@link makeParallelTrainStep}. */
export interface ParallelStepOptions extends TrainStepOptions {
  /** Replicas in all, the calling thread included (2 = one worker thread). */
  replicas: number;
  /** The largest batch the step will be given. */
  maxBatch: number;
  /** A loss by name (it has to reach the worker threads): "categoricalCrossentropy", "mse", ... */
  loss: string;
}

/** A data-parallel training step: call it like a {@link TrainStep}; `dispose()` stops the workers. */
export interface ParallelTrainStep extends TrainStep {
  readonly replicas: number;
  dispose(): Promise<void>;
}

/** Longest wait for a replica's gradients before the step fails (a replica that hung). */
const REPLICA_TIMEOUT_MS = 10 * 60 * 1000;

const rowSize = (shape: (number | null)[]) => shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);

/**
 * The optimizer's slots, each named by the index of the model weight it belongs to. tfjs keeps
 * slots by position (see optimizer-slots.ts), and their names can be a rebuilt model's old ones
 * (state restored from a checkpoint), so owners come from positions, not names.
 */
async function optimizerState(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<Pick<ReplicaSetup, "optimizerState" | "iterations">> {
  const named = await optimizer.getWeights();
  if (named.length === 0) return { optimizerState: [] };
  const index = new Map(allWeights(model).map((w, i) => [(w.read() as tf.Variable).name, i]));
  const trainable = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  const state: ReplicaSetup["optimizerState"] = [];
  const seen = new Map<string, number>(); // slots met so far per suffix ("/m", "/v", ...): the position
  let iterations: number | undefined;
  for (const { name, tensor } of named) {
    if (name === "iter") {
      iterations = tensor.dataSync()[0];
      continue;
    }
    const suffix = name.slice(name.lastIndexOf("/"));
    const position = seen.get(suffix) ?? 0;
    seen.set(suffix, position + 1);
    const owner = slotOwner(optimizer, position, trainable);
    const weightIndex = owner === undefined ? undefined : index.get(owner);
    if (weightIndex === undefined) throw new LeptonError("backend:parallelOptimizerState", { name });
    state.push({ weightIndex, suffix, values: tensor.dataSync() as Float32Array, shape: tensor.shape });
  }
  return { optimizerState: state, iterations };
}

/**
 * Makes a training step that splits each batch across `replicas` threads (see the module notes).
 * Resolves once every worker thread has rebuilt the model; the model's weights and the optimizer's
 * state at that moment are the replicas' starting point, so load checkpoints before calling this.
 * Single-input, single-output models, a loss given by name.
 *
 * @example
 * ```ts
 * const step = await lepton.backend.makeParallelTrainStep(model, { optimizer: "adam", loss: "categoricalCrossentropy", replicas: 2, maxBatch: 64 });
 * const loss = step(xBatch, yBatch); // the same contract as makeTrainStep's step
 * await step.dispose();
 * ```
 */
export async function makeParallelTrainStep(model: tf.LayersModel, opts: ParallelStepOptions): Promise<ParallelTrainStep> {
  const replicas = opts.replicas;
  if (!Number.isInteger(replicas) || replicas < 2 || replicas > 64) throw new LeptonError("backend:parallelReplicas", { value: String(replicas) });
  if (!Number.isInteger(opts.maxBatch) || opts.maxBatch < 1) throw new LeptonError("backend:parallelMaxBatch", { value: String(opts.maxBatch) });
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new LeptonError("backend:parallelSingleIO", { inputs: model.inputs.length, outputs: model.outputs.length });
  const optimizer = resolveOptimizer(opts.optimizer);
  const gradients = makeGradients(model, opts.loss); // also rejects unknown loss names here
  const decay = checkWeightDecay(opts.weightDecay);
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const labelShape = model.outputs[0].shape.slice(1) as number[];
  const l = layout({
    replicas,
    maxRows: Math.ceil(opts.maxBatch / replicas),
    xRow: rowSize(model.inputs[0].shape),
    yRow: Math.max(1, rowSize(model.outputs[0].shape)),
    weightSizes: allWeights(model).map((w) => w.shape.reduce((a: number, b) => a * (b ?? 1), 1)),
    layers: model.layers.length,
  });
  const setupBase = {
    buffer: l.buffer, spec: l.spec, backend: activeBackend(), topology: JSON.stringify(model.toJSON(null, false)),
    weights: allWeights(model).map((w) => ({ values: w.read().dataSync() as Float32Array | Int32Array, dtype: w.dtype })),
    optimizer: { className: optimizer.getClassName(), config: optimizer.getConfig() },
    ...(await optimizerState(model, optimizer)),
    loss: opts.loss, weightDecay: decay, inputShape, labelShape,
  };
  const workers: Worker[] = [];
  for (let r = 1; r < replicas; r++) {
    const setup: ReplicaSetup = { ...setupBase, replica: r };
    workers.push(startModuleWorker(__filename, "data-parallel-worker", setup as unknown as Record<string, unknown>));
  }
  try {
    await Promise.all(workers.map((w, i) => waitReady(l, w, i + 1)));
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  workers.forEach((w) => w.unref());
  let seq = 0;
  let disposed = false;
  // Layers and their variables do not change over the step's life (updates assign in place).
  const names = allWeights(model).map((w) => (w.read() as tf.Variable).name);
  const shapes = allWeights(model).map((w) => w.shape as number[]);

  const step = ((x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[]): tf.Scalar => {
    if (disposed) throw new LeptonError("backend:parallelDisposed", {});
    if (Array.isArray(x) || Array.isArray(y)) throw new LeptonError("backend:parallelSingleIO", { inputs: Array.isArray(x) ? x.length : 1, outputs: Array.isArray(y) ? y.length : 1 });
    const n = x.shape[0];
    if (n > opts.maxBatch) throw new LeptonError("backend:parallelBatchTooLarge", { rows: n, max: opts.maxBatch });
    seq++;
    // Rows per replica: the first n % replicas replicas get one more. Replica 0 (this thread) takes the first.
    const rows = Array.from({ length: replicas }, (_, r) => Math.floor(n / replicas) + (r < n % replicas ? 1 : 0));
    const starts = rows.map((_, r) => rows.slice(0, r).reduce((a, b) => a + b, 0));
    const xs = x.dataSync();
    const ys = y.dataSync();
    const yRow = ys.length / Math.max(1, n);
    if (yRow > l.spec.yRow) throw new LeptonError("backend:parallelLabelShape", { shape: y.shape.join(", "), row: l.spec.yRow });
    model.layers.forEach((layer, i) => (l.trainableLayers[i] = layer.trainable ? 1 : 0));
    l.learningRate[0] = (optimizer as unknown as { learningRate: number }).learningRate;
    for (let r = 1; r < replicas; r++) {
      copyRows(xs, x.dtype, l.x[r], starts[r] * l.spec.xRow, rows[r] * l.spec.xRow);
      copyRows(ys, y.dtype, l.y[r], starts[r] * yRow, rows[r] * yRow);
      l.ctrl[word(r, Ctrl.Rows)] = rows[r];
      l.ctrl[word(r, Ctrl.XInt)] = x.dtype === "int32" ? 1 : 0;
      l.ctrl[word(r, Ctrl.YInt)] = y.dtype === "int32" ? 1 : 0;
      l.ctrl[word(r, Ctrl.YRow)] = yRow;
      l.ctrl[word(r, Ctrl.Seed)] = Math.floor(Math.random() * 2147483647);
      Atomics.store(l.ctrl, word(r, Ctrl.Job), seq);
      Atomics.notify(l.ctrl, word(r, Ctrl.Job));
    }
    const trainable = new Set(model.trainableWeights.map((w) => (w.read() as tf.Variable).name));
    try {
      tf.tidy(() => {
        const { value, grads } = gradients(tf.slice(x, 0, rows[0]), tf.slice(y, 0, rows[0]));
        names.forEach((name, i) => {
          if (trainable.has(name)) l.grads[0].set(grads[name].dataSync() as Float32Array, l.weightOffset[i]);
        });
        l.loss[0] = value.dataSync()[0];
      });
    } catch (err) {
      // The replicas are computing this batch: let them finish and skip its update, so that the
      // next step finds them waiting for a batch again, then report this thread's error.
      for (let r = 1; r < replicas; r++) waitFor(l, r, Ctrl.Done, seq);
      Atomics.store(l.ctrl, word(0, Ctrl.Skip), seq);
      Atomics.store(l.ctrl, word(0, Ctrl.Averaged), seq);
      Atomics.notify(l.ctrl, word(0, Ctrl.Averaged));
      throw err;
    }
    for (let r = 1; r < replicas; r++) waitFor(l, r, Ctrl.Done, seq);
    // The weighted average, computed once here and read by every replica, so all apply the same numbers.
    const share = rows.map((k) => k / n);
    names.forEach((name, i) => {
      if (trainable.has(name)) average(l, rows, share, l.weightOffset[i], l.weightOffset[i] + l.spec.weightSizes[i]);
    });
    let loss = 0;
    for (let r = 0; r < replicas; r++) if (rows[r] > 0) loss += l.loss[r] * share[r];
    Atomics.store(l.ctrl, word(0, Ctrl.Averaged), seq);
    Atomics.notify(l.ctrl, word(0, Ctrl.Averaged));
    tf.tidy(() => {
      const grads: tf.NamedTensorMap = {};
      names.forEach((name, i) => {
        if (trainable.has(name)) grads[name] = tf.tensor(l.averaged.subarray(l.weightOffset[i], l.weightOffset[i] + l.spec.weightSizes[i]), shapes[i]);
      });
      if (decay > 0) decayWeights(model, optimizer, decay);
      applyGradients(optimizer, grads);
    });
    return tf.scalar(loss);
  }) as ParallelTrainStep;

  Object.defineProperty(step, "replicas", { value: replicas });
  step.dispose = async () => {
    if (disposed) return;
    disposed = true;
    for (let r = 1; r < replicas; r++) {
      Atomics.store(l.ctrl, word(r, Ctrl.Command), 1);
      Atomics.store(l.ctrl, word(r, Ctrl.Job), seq + 1);
      Atomics.notify(l.ctrl, word(r, Ctrl.Job));
    }
    await Promise.all(workers.map((w) => w.terminate()));
  };
  return step;
}

/** averaged[j] = Σ_r grads[r][j] · share[r] over replicas with rows, for j in [from, to). */
function average(l: Layout, rows: number[], share: number[], from: number, to: number): void {
  const out = l.averaged;
  out.fill(0, from, to);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r] === 0) continue;
    const g = l.grads[r];
    const w = share[r];
    for (let j = from; j < to; j++) out[j] += g[j] * w;
  }
}

function copyRows(src: tf.TypedArray | string[], dtype: tf.DataType, dst: Float32Array, from: number, count: number): void {
  if (dtype === "int32") asInt32(dst).set((src as Int32Array).subarray(from, from + count));
  else if (dtype === "float32") dst.set((src as Float32Array).subarray(from, from + count));
  else throw new LeptonError("backend:parallelDtype", { dtype });
}

/** Blocks until replica `r`'s word reaches `value` (or it failed); throws its error. */
function waitFor(l: Layout, r: number, w: typeof Ctrl.Done, value: number): void {
  const i = word(r, w);
  const deadline = Date.now() + REPLICA_TIMEOUT_MS;
  waitUntil(l.ctrl, i, (now) => now === value || l.ctrl[word(r, Ctrl.Error)] !== 0 || Date.now() > deadline);
  if (l.ctrl[word(r, Ctrl.Error)] !== 0) throw new LeptonError("backend:parallelReplicaFailed", { replica: r, message: readError(l.errorText[r]) });
  if (Atomics.load(l.ctrl, i) !== value) throw new LeptonError("backend:parallelTimeout", { replica: r, seconds: REPLICA_TIMEOUT_MS / 1000 });
}

/** Resolves when replica `r` has rebuilt the model (its Done word set to -1), rejects on its failure. */
function waitReady(l: Layout, worker: Worker, r: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = () => Atomics.load(l.ctrl, word(r, Ctrl.Error)) !== 0;
    const failure = () => new LeptonError("backend:parallelReplicaFailed", { replica: r, message: readError(l.errorText[r]) });
    const poll = setInterval(() => {
      if (failed()) finish(failure());
      else if (Atomics.load(l.ctrl, word(r, Ctrl.Done)) === -1) finish();
    }, 10);
    // A replica that wrote its error and then ended can be seen exiting before the next poll: its
    // own reason is the useful one, not the exit code.
    const onExit = (code: number) => finish(failed() ? failure() : new LeptonError("backend:parallelReplicaExited", { replica: r, code }));
    const onError = (err: Error) => finish(new LeptonError("backend:parallelReplicaFailed", { replica: r, message: err.message }));
    worker.once("exit", onExit);
    worker.once("error", onError);
    function finish(err?: Error) {
      clearInterval(poll);
      worker.off("exit", onExit);
      worker.off("error", onError);
      if (err) reject(err);
      else resolve();
    }
  });
}
