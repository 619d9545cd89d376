/**
 * Softmax and cross-entropy as one step on the logits, for models whose output is a softmax Dense
 * layer trained with (sparse) categorical cross-entropy.
 *
 * tfjs-layers applies the softmax, then the loss normalises, clips and logs the probabilities, and
 * autodiff walks all of it back: 55 of the MLP 784-128-10's 98 kernels per training step on wasm.
 * On the logits the loss is `logsumexp(z) - z[label]` and its gradient `(softmax(z) - y) / batch`:
 * 15 kernels, and exact where the clipped form loses gradient (probabilities below 1e-7). On wasm
 * the loss and its gradient are one kernel of lepton's (kernels/softmax-xent.ts): 2 kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { SOFTMAX_XENT } from "./kernels/softmax-xent";

interface ActivationHolder {
  activation?: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
}

let linear: ActivationHolder["activation"];
function linearActivation(): NonNullable<ActivationHolder["activation"]> {
  // tfjs-layers does not export its Linear activation class; a throwaway layer carries one.
  linear ??= (tf.layers.dense({ units: 1, activation: "linear" }) as unknown as ActivationHolder).activation;
  return linear as NonNullable<ActivationHolder["activation"]>;
}

/** The model's softmax Dense output layer, when it has exactly one output and one such layer. */
export function softmaxDenseOutput(model: tf.LayersModel): tf.layers.Layer | undefined {
  if (model.outputs.length !== 1) return undefined;
  const layer = model.outputLayers?.[0] ?? model.layers[model.layers.length - 1];
  const holder = layer as unknown as ActivationHolder;
  if (layer.getClassName() !== "Dense" || holder.activation?.getClassName().toLowerCase() !== "softmax") return undefined;
  // The output must be this layer's only application (no shared head used twice).
  return layer.inboundNodes.length === 1 ? layer : undefined;
}

/** Runs `f` with `layer`'s activation set to linear, so that the model returns logits. */
export function withLogits<T>(layer: tf.layers.Layer, f: () => T): T {
  const holder = layer as unknown as ActivationHolder;
  const own = holder.activation;
  holder.activation = linearActivation();
  try {
    return f();
  } finally {
    holder.activation = own;
  }
}

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

const softmaxCrossEntropyOp = tf.customGrad(((labels: tf.Tensor, logits: tf.Tensor, save: tf.GradSaveFunc) => {
  const logProbs = tf.sub(logits, tf.logSumExp(logits, -1, true));
  save([logProbs, labels]);
  const value = tf.neg(tf.mean(tf.sum(tf.mul(labels, logProbs), -1)));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [lp, y] = saved;
      const batch = lp.size / (lp.shape[lp.rank - 1] as number);
      return [tf.zerosLike(y), tf.mul(tf.sub(tf.exp(lp), y), tf.div(dy, batch))];
    },
  };
}) as unknown as CustomGradientFunc);

/** The same on the backend's single kernel: loss and gradient in one pass, the gradient saved. */
const softmaxCrossEntropyKernelOp = tf.customGrad(((labels: tf.Tensor, logits: tf.Tensor, save: tf.GradSaveFunc) => {
  const [value, grad] = tf.engine().runKernel(SOFTMAX_XENT, { labels, logits }, {}) as tf.Tensor[];
  save([grad, labels]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.zerosLike(saved[1]), tf.mul(saved[0], dy)],
  };
}) as unknown as CustomGradientFunc);

/**
 * Mean categorical cross-entropy of `softmax(logits)` against `labels` (one-hot, or class ids when
 * `sparse`), with the fused gradient.
 *
 * @example
 * ```ts
 * const loss = lepton.backend.softmaxCrossEntropy(tf.oneHot([2, 0], 3), tf.tensor2d([[1, 2, 3], [0, 0, 0]]));
 * ```
 */
export function softmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor, sparse = false): tf.Scalar {
  const classes = logits.shape[logits.rank - 1] as number;
  const y = sparse
    ? tf.reshape(tf.oneHot(tf.cast(tf.reshape(labels, [-1]), "int32"), classes), logits.shape)
    : labels.dtype === "float32" ? labels : tf.cast(labels, "float32");
  const fused = logits.dtype === "float32" && tf.getKernel(SOFTMAX_XENT, tf.getBackend()) !== undefined;
  return (fused ? softmaxCrossEntropyKernelOp : softmaxCrossEntropyOp)(y, logits) as tf.Scalar;
}
