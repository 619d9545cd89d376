/**
 * What fit accepts as data, turned into an `x` and `y` tensor pair: `{x, y}` with tensors or
 * nested arrays, an `[x, y]` pair, or any lepton.data split exposing `x` and `y` (or
 * `toTensors()`).
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

type ArrayLike = tf.Tensor | number[] | number[][] | number[][][] | number[][][][] | Float32Array | Int32Array;

/** Training or validation data in any of the accepted forms. */
export type FitData =
  | { x: ArrayLike; y: ArrayLike }
  | [ArrayLike, ArrayLike]
  | { toTensors(): { x: tf.Tensor; y: tf.Tensor } };

/** Tensors, and a release that disposes only what we created. */
export interface XY {
  x: tf.Tensor;
  y: tf.Tensor;
  release(): void;
}

function toTensor(v: ArrayLike, what: string): tf.Tensor {
  if (v instanceof tf.Tensor) return v;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    if ((v as ArrayLike[]).length === 0) throw new LeptonError("train:emptyData", { what });
    return tf.tensor(v as number[]);
  }
  throw new LeptonError("train:badData", { what, got: v === null ? "null" : typeof v });
}

/** Normalises `data` to tensors. */
export function toXY(data: FitData | undefined, what: string): XY {
  if (data === undefined || data === null) throw new LeptonError("train:badData", { what, got: String(data) });
  let x: ArrayLike | undefined;
  let y: ArrayLike | undefined;
  if (Array.isArray(data) && data.length === 2) [x, y] = data as [ArrayLike, ArrayLike];
  else if (typeof data === "object" && "x" in data && "y" in data) ({ x, y } = data as { x: ArrayLike; y: ArrayLike });
  else if (typeof (data as { toTensors?: unknown }).toTensors === "function") {
    // Fresh tensors that we own: released when training ends.
    const fresh = (data as { toTensors(): { x: tf.Tensor; y: tf.Tensor } }).toTensors();
    return { x: fresh.x, y: fresh.y, release: () => tf.dispose([fresh.x, fresh.y]) };
  }
  if (x === undefined || y === undefined) throw new LeptonError("train:badData", { what, got: Object.keys(data as object).join(", ") || typeof data });
  if (Array.isArray(x) && typeof x[0] === "string") throw new LeptonError("train:textNeedsEncoding", { what });
  const xt = toTensor(x, what);
  const yt = toTensor(y, what);
  const mine = [x instanceof tf.Tensor ? undefined : xt, y instanceof tf.Tensor ? undefined : yt].filter((v): v is tf.Tensor => !!v);
  return { x: xt, y: yt, release: () => tf.dispose(mine) };
}
