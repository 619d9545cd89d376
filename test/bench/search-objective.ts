/**
 * The objective of bench:search (a module, so that worker threads can load it): trains a small
 * CNN for a fixed number of batches on synthetic MNIST-shaped data and reports the final loss.
 */
import * as tf from "@tensorflow/tfjs";
import { fit } from "../../src/train/fit";
import type { Params, TrialInfo } from "../../src/evaluate/search";

export async function objective(params: Params, info: TrialInfo): Promise<Record<string, number>> {
  const n = params.samples as number;
  const x = tf.randomUniform([n, 28, 28, 1], 0, 1, "float32", 1);
  const y = tf.randomUniform([n], 0, 10, "int32", 2);
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: "relu" }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ] });
  const h = await fit(model, { x, y }, { epochs: 1, batchSize: 32, lr: params.lr as number, seed: info.trial, verbose: false });
  model.dispose();
  tf.dispose([x, y]);
  return { loss: h.last.loss };
}
