/**
 * Per-batch augmentation inside `fit`: the batch's features are read back, transformed by a
 * lepton.data augmenter and uploaded again. The random stream of epoch `e` depends only on
 * `(seed, e)`, so a resumed run augments exactly as an uninterrupted one.
 */
import * as tf from "@tensorflow/tfjs";
import { streamFromSeed, type RandomStream } from "../backend/random";
import type { Augment } from "../data/augment";

/** The augmentation stream of one epoch. */
export function augmentStream(seed: number, epoch: number): RandomStream {
  return streamFromSeed((seed * 1000003 + epoch * 7919 + 104729) >>> 0);
}

/** Applies `augment` to the batch `x` (a new tensor; `x` is left to the caller). */
export function augmentBatch(x: tf.Tensor, augment: Augment, rng: RandomStream): tf.Tensor {
  const values = augment(x.dataSync() as Float32Array, x.shape, rng);
  return tf.tensor(values, x.shape, "float32");
}
