/** A dense autoencoder (for compression, denoising and anomaly scores). */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link autoencoder}. */
export interface AutoencoderOptions {
  /** Input shape (flattened inside, restored at the output). */
  inputShape: number | number[];
  /** Size of the code layer. Default 16. */
  latentDim?: number;
  /** Encoder hidden widths (the decoder mirrors them). Default `[64]`. */
  hidden?: number[];
  /** Output activation: "sigmoid" for data in 0..1, "linear" for standardised data. Default "sigmoid". */
  outputActivation?: "sigmoid" | "linear";
}

/**
 * Dense autoencoder: encoder layers `encoder/dense<i>`, the code layer `latent`, mirrored decoder
 * layers `decoder/dense<i>` and an output of the input's shape. Train it with a mean squared error
 * loss and the input as its own target; `tf.model({ inputs: m.inputs, outputs: m.getLayer("latent").output })`
 * is the encoder.
 *
 * @example
 * ```ts
 * const ae = lepton.zoo.autoencoder({ inputShape: [28, 28, 1], latentDim: 8 });
 * ```
 */
export function autoencoder(opts: AutoencoderOptions): tf.LayersModel {
  const shape = typeof opts.inputShape === "number" ? [opts.inputShape] : opts.inputShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const input = tf.input({ shape, name: "input" });
  const on = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  let x = shape.length > 1 ? on(tf.layers.flatten({ name: "flatten" }), input) : input;
  const hidden = opts.hidden ?? [64];
  hidden.forEach((u, i) => { x = on(tf.layers.dense({ units: u, activation: "relu", name: `encoder/dense${i + 1}` }), x); });
  x = on(tf.layers.dense({ units: opts.latentDim ?? 16, activation: "linear", name: "latent" }), x);
  [...hidden].reverse().forEach((u, i) => { x = on(tf.layers.dense({ units: u, activation: "relu", name: `decoder/dense${i + 1}` }), x); });
  x = on(tf.layers.dense({ units: size, activation: opts.outputActivation ?? "sigmoid", name: "decoder/output" }), x);
  if (shape.length > 1) x = on(tf.layers.reshape({ targetShape: shape, name: "reshape" }), x);
  return tf.model({ inputs: input, outputs: x, name: "autoencoder" });
}
