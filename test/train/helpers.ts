/** Small synthetic problems for the training tests (fast on the cpu backend). */
import * as tf from "@tensorflow/tfjs";
import { streamFromSeed } from "../../src/backend/random";

/** Two Gaussian blobs in `dims` dimensions, labels 0/1, deterministic. */
export function blobs(n: number, dims = 4, seed = 1): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const gauss = streamFromSeed(seed).normal;
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    xs.push(Array.from({ length: dims }, (_, d) => gauss() + (label ? 1.5 : -1.5) * (d % 2 ? 1 : -1)));
    ys.push(label);
  }
  return { x: tf.tensor2d(xs), y: tf.tensor1d(ys, "int32") };
}

/** Two models with identical architecture and initial weights. */
export function twins(build: () => tf.LayersModel): [tf.LayersModel, tf.LayersModel] {
  const a = build();
  const b = build();
  b.setWeights(a.getWeights());
  return [a, b];
}

export function weightsEqual(a: tf.LayersModel, b: tf.LayersModel): boolean {
  const wa = a.getWeights();
  const wb = b.getWeights();
  return wa.length === wb.length && wa.every((w, i) => {
    const x = w.dataSync();
    const y = wb[i].dataSync();
    return x.length === y.length && x.every((v, j) => v === y[j]);
  });
}

/** The trainable weights' values, in order. */
export const trainable = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.read().dataSync());

/** Largest absolute difference between two lists of weight arrays. */
export function maxDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let m = 0;
  a.forEach((x, i) => { for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - b[i][j])); });
  return m;
}
