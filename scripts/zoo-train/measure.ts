/** Measurements of a trained model: accuracy, inference time, and where that time goes. */
import * as tf from "@tensorflow/tfjs";

/** Accuracy of `model` on `x` (argmax, or a 0.5 threshold for one sigmoid output) against labels `y`. */
export function accuracy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => {
    const p = model.predict(x, { batchSize: 256 }) as tf.Tensor;
    const pred = p.shape[1] === 1 ? p.reshape([-1]).greater(0.5).toInt() : p.argMax(-1);
    return pred.equal(y.toInt()).mean().dataSync()[0];
  });
}

/** Median milliseconds to predict `x` (batch 256), after a warm-up. */
export function inferenceMs(model: tf.LayersModel, x: tf.Tensor, runs = 5): number {
  tf.tidy(() => (model.predict(x, { batchSize: 256 }) as tf.Tensor).dataSync());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    tf.tidy(() => (model.predict(x, { batchSize: 256 }) as tf.Tensor).dataSync());
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** The kernels one prediction of 256 images runs, with their count and time by kernel name (tf.profile). */
export async function kernelProfile(model: tf.LayersModel, x: tf.Tensor): Promise<{ kernels: number; byKernel: Record<string, { count: number; ms: number }> }> {
  const batch = x.slice(0, 256);
  const info = await tf.profile(() => {
    const y = model.predict(batch, { batchSize: 256 }) as tf.Tensor;
    y.dataSync();
    return y;
  });
  batch.dispose();
  // tf.profile lists a fused op twice (the op and its kernel, e.g. fusedConv2d__op and FusedConv2D): count kernels only.
  const kernels = info.kernels.filter((k) => !k.name.endsWith("__op"));
  const byKernel: Record<string, { count: number; ms: number }> = {};
  for (const k of kernels) {
    const e = (byKernel[k.name] ??= { count: 0, ms: 0 });
    e.count++;
    e.ms = Number((e.ms + Number(k.kernelTimeMs)).toFixed(3));
  }
  return { kernels: kernels.length, byKernel };
}
