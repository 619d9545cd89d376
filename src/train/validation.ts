/** Loss and accuracy over a whole data set, in batches, with a single read-back at the end. */
import * as tf from "@tensorflow/tfjs";
import { correctCount, type LabelKind, type LossFn } from "./losses";

/**
 * Mean loss (weighted by batch size, so exact over the set) and, for classifiers, accuracy.
 */
export async function evaluateSet(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  loss: LossFn,
  kind: LabelKind,
  batchSize: number,
): Promise<Record<string, number>> {
  const n = x.shape[0];
  let lossSum = tf.scalar(0);
  let correct = tf.scalar(0);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, c] = tf.tidy(() => {
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      const p = model.apply(xb, { training: false }) as tf.Tensor;
      const bl = loss(yb, p).mul(size);
      const bc = kind === "regression" ? tf.scalar(0) : correctCount(kind, yb, p);
      return [lossSum.add(bl), correct.add(bc)];
    });
    lossSum.dispose();
    correct.dispose();
    lossSum = l as tf.Scalar;
    correct = c as tf.Scalar;
  }
  const [ls, cs] = [(await lossSum.data())[0], (await correct.data())[0]];
  tf.dispose([lossSum, correct]);
  const out: Record<string, number> = { loss: ls / n };
  if (kind !== "regression") out.accuracy = cs / n;
  return out;
}
