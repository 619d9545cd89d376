/** Checks of the model and data before training, so bad input fails fast with a clear message. */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import type { LabelKind } from "./losses";

const shapeText = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? "batch" : d)).join(", ")}]`;

/** Throws when the model was disposed (its weights are gone). */
export function checkModelUsable(model: tf.LayersModel): void {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("train:notAModel", { got: typeof model });
  const disposed = model.weights.some((w) => {
    try {
      return w.read().isDisposed;
    } catch {
      return true;
    }
  });
  if (disposed) throw new LeptonError("train:modelDisposed", { name: model.name });
}

/** Throws on empty data, x/y length mismatch and input shapes the model does not take. */
export function checkShapes(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, what: string): void {
  if (x.shape[0] === 0 || x.size === 0) throw new LeptonError("train:emptyData", { what });
  if (x.shape[0] !== y.shape[0]) throw new LeptonError("train:lengthMismatch", { what, x: x.shape[0], y: y.shape[0] });
  const expected = model.inputs[0].shape;
  const ok = expected.length === x.rank && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    throw new LeptonError("train:shapeMismatch", { what, expected: shapeText(expected), received: shapeText([null, ...x.shape.slice(1)]) });
  }
}

/** Throws when class labels are not integers in `0..numClasses-1` (or 0/1 for a sigmoid output). */
export function checkLabels(model: tf.LayersModel, y: tf.Tensor, kind: LabelKind, what: string): void {
  if (kind !== "sparse" && kind !== "binary") return;
  const classes = kind === "binary" ? 2 : ((model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 0) as number);
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new LeptonError("train:labelOutOfRange", { what, index: i, value: v, classes, max: classes - 1 });
    }
  }
}

/**
 * Throws when regression targets do not have the model's output shape per example (a vector is
 * accepted for one output). Mean squared error would otherwise broadcast `[n, 1]` targets against
 * `[n, 3]` predictions and train on a meaningless loss without a word.
 */
export function checkTargets(model: tf.LayersModel, y: tf.Tensor, lossName: string, what: string): void {
  if (lossName !== "meanSquaredError" && lossName !== "meanAbsoluteError") return;
  const out = model.outputs[0].shape.slice(1);
  const got = y.shape.slice(1);
  const same = got.length === out.length && got.every((d, i) => out[i] === null || d === out[i]);
  const vectorForOne = got.length === 0 && out.length === 1 && out[0] === 1;
  if (!same && !vectorForOne) {
    throw new LeptonError("train:targetShape", { what, expected: shapeText([null, ...out]), received: shapeText([null, ...got]) });
  }
}
