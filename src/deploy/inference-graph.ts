/**
 * The model a server runs: batch normalisation folded into the convolution or dense layer before
 * it, and a ReLU that follows such a layer fused into it, as inference converters do (TFLite,
 * TF-TRT), by `lepton.zoo.foldBatchNorm`. At inference a batch norm is a per-channel scale and
 * shift, which the weights of the layer before it can absorb; on tfjs's wasm backend its kernel
 * otherwise costs more than the convolutions (LeptonNet, 64-row batches: 39% of the model's time,
 * profiled). The server only uses the folded copy after checking it against the original.
 */
import * as tf from "@tensorflow/tfjs";
import { foldBatchNorm } from "../zoo/fold-batch-norm";

/**
 * Returns an inference copy of `model` with batch norms folded and ReLUs fused, or `undefined`
 * when there is nothing to fold, the fold fails, or the copy does not predict the same (within
 * 1e-4 of the output scale) on random inputs. `model` is not changed.
 *
 * @example
 * ```ts
 * const fast = await lepton.deploy.inferenceModel(model); // undefined: nothing to fold
 * (fast ?? model).predict(x);
 * ```
 */
export async function inferenceModel(model: tf.LayersModel): Promise<tf.LayersModel | undefined> {
  let copy: tf.LayersModel | undefined;
  try {
    copy = await foldBatchNorm(model);
    // Nothing folded or fused: serve the model as saved.
    if (computing(copy) < computing(model) && agrees(model, copy)) return copy;
  } catch {
    // Anything tfjs cannot rebuild or run: serve the model as saved.
  }
  copy?.dispose();
  return undefined;
}

/** Layers that compute something (a Sequential lists no input layer, its functional copy does). */
function computing(model: tf.LayersModel): number {
  return model.layers.filter((l) => l.getClassName() !== "InputLayer").length;
}

/** Both models give the same outputs on a few random inputs (relative 1e-4 of the output scale). */
function agrees(a: tf.LayersModel, b: tf.LayersModel): boolean {
  return tf.tidy(() => {
    const inputs = a.inputs.map((i) => tf.randomNormal([3, ...i.shape.slice(1).map((d) => d ?? 1)], 0, 1, "float32", 7));
    const outA = [a.predict(inputs)].flat() as tf.Tensor[];
    const outB = [b.predict(inputs)].flat() as tf.Tensor[];
    return outA.every((o, k) => {
      const scale = Math.max(1, tf.max(tf.abs(o)).dataSync()[0]);
      return outB[k] !== undefined && tf.max(tf.abs(tf.sub(o, outB[k]))).dataSync()[0] <= 1e-4 * scale;
    });
  });
}
