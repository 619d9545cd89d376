/**
 * Batch-norm statistics measured exactly, for inference. During training the moving averages
 * follow augmented batches and trail the changing weights (momentum); before folding or shipping
 * a model we measure each batch norm's input mean and variance on clean data instead.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Options of {@link calibrateBatchNorm}. */
export interface CalibrateOptions {
  /** Examples per forward pass. Default 256. */
  batchSize?: number;
}

/** Per-channel sums of `t` and of its squares over every axis but the last. */
function channelSums(t: tf.Tensor): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const axes = t.shape.slice(0, -1).map((_, i) => i);
    return [t.sum(axes).dataSync() as Float32Array, t.square().sum(axes).dataSync() as Float32Array];
  });
}

/**
 * Replaces the moving mean and variance of every batch norm in `model` by the exact mean and
 * (population) variance of its input over `x`, computed in inference mode, one batch norm after
 * another in the model's order (so each sees the calibrated ones before it). A batch norm used
 * several times (shared blocks) gets the statistics of all its calls together. Learned scale and
 * offset are kept. Returns the names of the calibrated layers.
 *
 * @example
 * ```ts
 * await lepton.fit(model, train, { epochs: 20, augment: lepton.data.imageAugmenter({ shift: 0.1 }) });
 * lepton.zoo.calibrateBatchNorm(model, train.x);   // statistics of the clean training images
 * const fast = await lepton.zoo.foldBatchNorm(model);
 * ```
 */
export function calibrateBatchNorm(model: tf.LayersModel, x: tf.Tensor, opts: CalibrateOptions = {}): string[] {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("zoo:notAModel", { got: typeof model });
  if (x.shape[0] === 0) throw new LeptonError("zoo:calibrateEmpty", {});
  const batchSize = opts.batchSize ?? 256;
  const graph = model instanceof tf.Sequential ? tf.model({ inputs: model.inputs, outputs: model.outputs }) : model;
  const done: string[] = [];
  for (const layer of graph.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const inputs = layer.inboundNodes.map((node) => node.inputTensors[0]);
    const probe = tf.model({ inputs: graph.inputs, outputs: inputs });
    const channels = inputs[0].shape[inputs[0].shape.length - 1] as number;
    const sum = new Float64Array(channels);
    const sumSq = new Float64Array(channels);
    let count = 0;
    for (let start = 0; start < x.shape[0]; start += batchSize) {
      const batch = x.slice(start, Math.min(batchSize, x.shape[0] - start));
      const outs = [probe.predict(batch)].flat() as tf.Tensor[];
      for (const out of outs) {
        const [s, s2] = channelSums(out);
        for (let c = 0; c < channels; c++) { sum[c] += s[c]; sumSq[c] += s2[c]; }
        count += out.size / channels;
      }
      tf.dispose([batch, ...outs]);
    }
    const mean = Float32Array.from(sum, (s) => s / count);
    const variance = Float32Array.from(sumSq, (s2, c) => Math.max(0, s2 / count - mean[c] * mean[c]));
    const values = layer.weights.map((w, i) => {
      if (w.originalName.endsWith("/moving_mean")) return tf.tensor1d(mean);
      if (w.originalName.endsWith("/moving_variance")) return tf.tensor1d(variance);
      return layer.getWeights()[i].clone();
    });
    layer.setWeights(values);
    tf.dispose(values);
    done.push(layer.name);
  }
  return done;
}
