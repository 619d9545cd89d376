/**
 * Turning what users pass to charts (arrays, typed arrays, tensors) into plain numbers.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError, t } from "../i18n/index";

/** Numbers for a chart: an array, a typed array or a tensor (flattened). */
export type NumberLike = ArrayLike<number> | tf.Tensor;

/** A matrix for a chart: rows of numbers, or a rank-2 tensor. */
export type MatrixLike = ArrayLike<ArrayLike<number>> | tf.Tensor;

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return t("plot:gotTensor", { shape: value.shape.join(", ") });
  if (Array.isArray(value)) return t("plot:gotArray", { count: value.length });
  return value === null ? "null" : typeof value;
}

/** Plain numbers from an array, typed array or tensor. */
export function toNumbers(value: NumberLike, what: string): number[] {
  if (value instanceof tf.Tensor) return Array.from(value.dataSync() as ArrayLike<number>);
  if (value !== null && typeof value === "object" && typeof (value as ArrayLike<unknown>).length === "number") {
    const items = value as ArrayLike<unknown>;
    const out = new Array<number>(items.length);
    let ok = true;
    for (let i = 0; i < items.length && ok; i++) {
      const v = items[i];
      ok = typeof v === "number";
      out[i] = v as number;
    }
    if (ok) return out;
  }
  throw new LeptonError("plot:notNumbers", { what, got: describe(value) });
}

/** Rows of plain numbers from a nested array or a rank-2 tensor. */
export function toMatrix(value: MatrixLike, what: string): number[][] {
  if (value instanceof tf.Tensor) {
    if (value.rank !== 2) throw new LeptonError("plot:notMatrix", { what, got: describe(value) });
    return value.arraySync() as number[][];
  }
  const rows = Array.from(value as ArrayLike<ArrayLike<number>>, (row) => toNumbers(row, what));
  if (!rows.length || rows.some((r) => r.length !== rows[0].length)) throw new LeptonError("plot:notMatrix", { what, got: describe(value) });
  return rows;
}
