/** LeNet-5 (LeCun et al. 1998), in its common modern form with ReLU and max pooling. */
import * as tf from "@tensorflow/tfjs";
import { classifierHead, type ClassifierHead } from "./dense";

/** Options of {@link lenet5}. */
export interface Lenet5Options extends Partial<ClassifierHead> {
  /** Input image shape `[height, width, channels]`. Default `[28, 28, 1]`. */
  inputShape?: [number, number, number];
  /** Classes (default 10). */
  numClasses?: number;
  /** Dropout before the last dense layer. Default 0. */
  dropout?: number;
}

/**
 * LeNet-5: conv 6@5x5 (same padding) -> pool -> conv 16@5x5 -> pool -> dense 120 -> dense 84 ->
 * classes. About 62k parameters for 28x28 inputs.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.lenet5({ numClasses: 10 });
 * lepton.zoo.summary(model);
 * ```
 */
export function lenet5(opts: Lenet5Options = {}): tf.LayersModel {
  const input = tf.input({ shape: opts.inputShape ?? [28, 28, 1], name: "input" });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  let x = apply(tf.layers.conv2d({ filters: 6, kernelSize: 5, padding: "same", activation: "relu", name: "conv1/conv" }), input);
  x = apply(tf.layers.maxPooling2d({ poolSize: 2, name: "conv1/pool" }), x);
  x = apply(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu", name: "conv2/conv" }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 2, name: "conv2/pool" }), x);
  x = apply(tf.layers.flatten({ name: "flatten" }), x);
  x = apply(tf.layers.dense({ units: 120, activation: "relu", name: "fc1/dense" }), x);
  x = apply(tf.layers.dense({ units: 84, activation: "relu", name: "fc2/dense" }), x);
  if (opts.dropout) x = apply(tf.layers.dropout({ rate: opts.dropout, name: "fc2/dropout" }), x);
  const out = classifierHead(x, { numClasses: opts.numClasses ?? 10, binary: opts.binary });
  return tf.model({ inputs: input, outputs: out, name: "lenet5" });
}
