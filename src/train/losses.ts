/**
 * How fit picks the loss from the model and the labels, and the accuracy count. Losses return the
 * batch mean as a scalar; the correct count is a batch sum so that whole-set accuracy is exact
 * (not an average of batch averages).
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { resolveLoss as backendLoss } from "../backend/step";

/** `(yTrue, yPred) => scalar mean loss over the batch`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Names of the losses fit knows (tfjs spellings; snake_case also accepted). */
export type LossName =
  | "sparseCategoricalCrossentropy"
  | "categoricalCrossentropy"
  | "binaryCrossentropy"
  | "meanSquaredError"
  | "meanAbsoluteError";

/** How labels are encoded, which decides the loss and the accuracy metric. */
export type LabelKind = "sparse" | "onehot" | "binary" | "regression";

const LOSS_NAMES: LossName[] = ["sparseCategoricalCrossentropy", "categoricalCrossentropy", "binaryCrossentropy", "meanSquaredError", "meanAbsoluteError"];
// The formulas live with the training step in src/backend/step.ts.
// Element-wise losses get labels in the prediction's shape and dtype (int labels [n] vs output [n, 1]
// would otherwise broadcast to [n, n]).
const shaped = (fn: LossFn): LossFn => (y, p) =>
  tf.tidy(() => fn(y.size === p.size ? y.reshape(p.shape).toFloat() : y.toFloat(), p));
const losses = Object.fromEntries(
  LOSS_NAMES.map((n) => [n, n.endsWith("Crossentropy") && n !== "binaryCrossentropy" ? backendLoss(n) : shaped(backendLoss(n) as LossFn)]),
) as Record<LossName, LossFn>;

const aliases: Record<string, LossName> = {
  sparse_categorical_crossentropy: "sparseCategoricalCrossentropy",
  categorical_crossentropy: "categoricalCrossentropy",
  binary_crossentropy: "binaryCrossentropy",
  mean_squared_error: "meanSquaredError",
  mse: "meanSquaredError",
  mean_absolute_error: "meanAbsoluteError",
  mae: "meanAbsoluteError",
};

/** Number of correct predictions in the batch (a scalar), for the label encoding. */
export function correctCount(kind: LabelKind, y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (kind === "binary") return tf.sum(tf.equal(tf.greater(p.reshape([-1]), 0.5).toInt(), y.reshape([-1]).toInt())).toFloat() as tf.Scalar;
    const pred = tf.argMax(p, -1);
    const truth = kind === "onehot" ? tf.argMax(y, -1) : y.reshape([-1]).toInt();
    return tf.sum(tf.equal(pred, truth)).toFloat() as tf.Scalar;
  });
}

/** The activation of the model's last layer ("softmax", "sigmoid", ...), if it has one. */
export function outputActivation(model: tf.LayersModel): string | undefined {
  const last = model.layers[model.layers.length - 1];
  return (last.getConfig() as { activation?: string }).activation;
}

/** The label encoding implied by the model's output and the labels' rank. */
export function labelKind(model: tf.LayersModel, y: tf.Tensor, loss?: string): LabelKind {
  const units = (model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 1) as number;
  const act = outputActivation(model);
  if (loss === "meanSquaredError" || loss === "meanAbsoluteError") return "regression";
  if (loss === "binaryCrossentropy" || (act === "sigmoid" && units === 1)) return "binary";
  if (act === "softmax" || loss === "sparseCategoricalCrossentropy" || loss === "categoricalCrossentropy") {
    return y.rank >= 2 && y.shape[y.rank - 1] === units && units > 1 ? "onehot" : "sparse";
  }
  return "regression";
}

/**
 * Resolves the loss to use: the option, else the compiled model's, else the cross-entropy implied
 * by a softmax / sigmoid output; other outputs need an explicit loss (`train:notCompiled`).
 */
export function resolveLoss(
  model: tf.LayersModel,
  y: tf.Tensor,
  option: LossName | LossFn | string | undefined,
): { fn: LossFn; name: string; kind: LabelKind } {
  const compiled = (model as unknown as { loss?: unknown }).loss;
  const chosen = option ?? (typeof compiled === "string" || typeof compiled === "function" ? compiled : undefined);
  if (typeof chosen === "function") return { fn: chosen as LossFn, name: chosen.name || "custom", kind: labelKind(model, y) };
  if (typeof chosen === "string") {
    const name = (aliases[chosen] ?? chosen) as LossName;
    if (!(name in losses)) throw new LeptonError("train:unknownLoss", { loss: chosen, known: Object.keys(losses).join(", ") });
    let kind = labelKind(model, y, name);
    // A compiled "categoricalCrossentropy" with integer labels means sparse labels.
    let fnName = name;
    if (name === "categoricalCrossentropy" && kind === "sparse") fnName = "sparseCategoricalCrossentropy";
    if (name === "sparseCategoricalCrossentropy" && kind === "onehot") fnName = "categoricalCrossentropy";
    if (fnName === "sparseCategoricalCrossentropy") kind = "sparse";
    return { fn: losses[fnName], name: fnName, kind };
  }
  // Not compiled and no option: a softmax or sigmoid output says which cross-entropy to use;
  // for any other output we refuse to guess.
  const kind = labelKind(model, y);
  if (kind === "sparse") return { fn: losses.sparseCategoricalCrossentropy, name: "sparseCategoricalCrossentropy", kind };
  if (kind === "onehot") return { fn: losses.categoricalCrossentropy, name: "categoricalCrossentropy", kind };
  if (kind === "binary") return { fn: losses.binaryCrossentropy, name: "binaryCrossentropy", kind };
  throw new LeptonError("train:notCompiled", {});
}

/** The loss function registered under a name (for lrFind and tests). */
export function lossByName(name: LossName): LossFn {
  return losses[name];
}

/** Throws unless `epsilon` is in [0, 1) and the labels are classes. */
export function checkLabelSmoothing(kind: LabelKind, epsilon: number): void {
  if (!(typeof epsilon === "number" && epsilon >= 0 && epsilon < 1)) throw new LeptonError("train:badLabelSmoothing", { value: epsilon });
  if (kind === "regression") throw new LeptonError("train:labelSmoothingNeedsClasses", {});
}

/**
 * The training loss with label smoothing `epsilon`: cross-entropy against targets moved
 * `epsilon` of the way towards the uniform distribution (`(1 - epsilon) * onehot + epsilon / K`
 * for K classes; `(1 - epsilon) * y + epsilon / 2` for a sigmoid output). Classification only.
 */
export function labelSmoothingLoss(kind: LabelKind, epsilon: number): LossFn {
  checkLabelSmoothing(kind, epsilon);
  if (kind === "binary") return (y, p) => tf.tidy(() => losses.binaryCrossentropy(y.reshape(p.shape).toFloat().mul(1 - epsilon).add(epsilon / 2), p));
  return (y, p) => tf.tidy(() => {
    const classes = p.shape[p.shape.length - 1] as number;
    const onehot = kind === "sparse" ? tf.oneHot(y.reshape([-1]).toInt(), classes) : y.toFloat();
    return losses.categoricalCrossentropy(onehot.mul(1 - epsilon).add(epsilon / classes).reshape(p.shape), p);
  });
}
