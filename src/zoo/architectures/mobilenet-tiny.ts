/** A MobileNet-v1-style tiny CNN: stacks of depthwise-separable convolutions with a width multiplier. */
import * as tf from "@tensorflow/tfjs";
import { classifierHead, type ClassifierHead } from "./dense";

/** Options of {@link mobileNetTiny}. */
export interface MobileNetTinyOptions extends Partial<ClassifierHead> {
  /** Input image shape `[height, width, channels]`. Default `[32, 32, 3]`. */
  inputShape?: [number, number, number];
  /** Classes (default 10). */
  numClasses?: number;
  /** Width multiplier (alpha) applied to every layer's channels. Default 0.5. */
  alpha?: number;
  /**
   * Momentum of the batch-norm moving averages. Default 0.9: with small data sets and few epochs,
   * tfjs's 0.99 leaves the inference statistics far behind the training ones.
   */
  bnMomentum?: number;
  /** Dropout before the head. Default 0.2. */
  dropout?: number;
}

/**
 * MobileNet-v1 style: a 3x3 stride-2 stem then depthwise-separable blocks (3x3 depthwise + BN +
 * ReLU6, 1x1 pointwise + BN + ReLU6) with channels 64-128-128-256 (times `alpha`), global average
 * pooling and a classifier. Blocks are named `block1` ... `block4`.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.mobileNetTiny({ inputShape: [32, 32, 3], numClasses: 10, alpha: 0.25 });
 * ```
 */
export function mobileNetTiny(opts: MobileNetTinyOptions = {}): tf.LayersModel {
  const alpha = opts.alpha ?? 0.5;
  const momentum = opts.bnMomentum ?? 0.9;
  const ch = (c: number) => Math.max(8, Math.round(c * alpha));
  const input = tf.input({ shape: opts.inputShape ?? [32, 32, 3], name: "input" });
  const on = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  let x = on(tf.layers.conv2d({ filters: ch(32), kernelSize: 3, strides: 2, padding: "same", useBias: false, name: "stem/conv" }), input);
  x = on(tf.layers.batchNormalization({ name: "stem/bn", momentum }), x);
  x = on(tf.layers.reLU({ maxValue: 6, name: "stem/relu6" }), x);
  const plan: [number, 1 | 2][] = [[64, 1], [128, 2], [128, 1], [256, 2]];
  plan.forEach(([c, stride], i) => {
    const b = `block${i + 1}`;
    x = on(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: "same", useBias: false, name: `${b}/dw` }), x);
    x = on(tf.layers.batchNormalization({ name: `${b}/dw_bn`, momentum }), x);
    x = on(tf.layers.reLU({ maxValue: 6, name: `${b}/dw_relu6` }), x);
    x = on(tf.layers.conv2d({ filters: ch(c), kernelSize: 1, useBias: false, name: `${b}/pw` }), x);
    x = on(tf.layers.batchNormalization({ name: `${b}/pw_bn`, momentum }), x);
    x = on(tf.layers.reLU({ maxValue: 6, name: `${b}/pw_relu6` }), x);
  });
  x = on(tf.layers.globalAveragePooling2d({ name: "pool" }), x);
  const dropout = opts.dropout ?? 0.2;
  if (dropout > 0) x = on(tf.layers.dropout({ rate: dropout, name: "dropout" }), x);
  const out = classifierHead(x, { numClasses: opts.numClasses ?? 10, binary: opts.binary });
  return tf.model({ inputs: input, outputs: out, name: "mobilenet_tiny" });
}
