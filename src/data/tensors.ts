/**
 * Conversions between plain arrays and tensors, with the checks that stop bad values from
 * reaching a model silently: non-finite numbers, wrong shapes, feature/label count mismatches.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Options for {@link toTensor}. */
export interface ToTensorOptions {
  /** Tensor dtype; float32 by default. */
  dtype?: "float32" | "int32";
  /** Keep NaN and Infinity instead of throwing (for models that handle them). */
  allowNonFinite?: boolean;
  /** Column names, so an error can name the column that holds a bad value. */
  columns?: string[];
}

type Numeric = ArrayLike<number>;

/**
 * Throws `data:nonFinite` when `values` (row-major, `rowLength` per row) holds NaN or Infinity.
 * The error names the first bad row and column and the total count.
 */
export function assertFinite(values: Numeric, rowLength = 1, columns?: string[]): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      count += 1;
      if (first < 0) first = i;
    }
  }
  if (count === 0) return;
  const col = first % rowLength;
  throw new LeptonError("data:nonFinite", {
    count,
    row: Math.floor(first / rowLength),
    column: columns?.[col] ?? String(col),
    value: String(values[first]),
  });
}

/** Throws `data:shapeMismatch` when `actual` differs from `expected` (-1 in `expected` matches any size). */
export function assertShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  const ok = actual.length === expected.length && expected.every((d, i) => d < 0 || d === actual[i]);
  if (!ok) {
    throw new LeptonError("data:shapeMismatch", {
      what,
      expected: `[${expected.map((d) => (d < 0 ? "any" : d)).join(", ")}]`,
      actual: `[${actual.join(", ")}]`,
    });
  }
}

/** Throws `data:labelCountMismatch` unless there is exactly one label per sample. */
export function assertSameLength(samples: number, labels: number): void {
  if (samples !== labels) throw new LeptonError("data:labelCountMismatch", { samples, labels });
}

function flatten(values: Numeric | number[][]): { flat: Numeric; shape: number[] } {
  if (values.length > 0 && Array.isArray((values as unknown[])[0])) {
    const rows = values as number[][];
    const width = rows[0].length;
    const flat = new Float64Array(rows.length * width);
    rows.forEach((r, i) => {
      if (r.length !== width) {
        throw new LeptonError("data:raggedRows", { row: i, expected: width, actual: r.length });
      }
      flat.set(r, i * width);
    });
    return { flat, shape: [rows.length, width] };
  }
  return { flat: values as Numeric, shape: [values.length] };
}

/**
 * Turns numbers (flat or rows) into a tensor, checking the shape and refusing NaN/Infinity unless
 * `allowNonFinite` is set. With `shape` omitted, rows give a 2-D tensor and a flat array a 1-D one.
 *
 * @example
 * ```ts
 * const x = lepton.data.toTensor([[1, 2], [3, 4]]);              // Tensor2D [2, 2]
 * const y = lepton.data.toTensor([0, 1], undefined, { dtype: "int32" });
 * lepton.data.toTensor([1, NaN]);                                  // throws data:nonFinite
 * ```
 */
export function toTensor(values: Numeric | number[][], shape?: number[], options: ToTensorOptions = {}): tf.Tensor {
  const { flat, shape: inferred } = flatten(values);
  const finalShape = shape ?? inferred;
  const size = finalShape.reduce((a, b) => a * b, 1);
  if (size !== flat.length) {
    throw new LeptonError("data:sizeMismatch", { shape: `[${finalShape.join(", ")}]`, size, count: flat.length });
  }
  if (!options.allowNonFinite) assertFinite(flat, finalShape.length > 1 ? finalShape[finalShape.length - 1] : 1, options.columns);
  const dtype = options.dtype ?? "float32";
  if (dtype === "int32") {
    const ints = flat instanceof Int32Array ? flat : Int32Array.from(flat as ArrayLike<number>);
    return tf.tensor(ints, finalShape, "int32");
  }
  const floats = flat instanceof Float32Array ? flat : Float32Array.from(flat as ArrayLike<number>);
  return tf.tensor(floats, finalShape, "float32");
}

/**
 * Reads a tensor back into plain data: its values (typed array) and shape.
 *
 * @example
 * ```ts
 * const { values, shape } = lepton.data.fromTensor(tf.ones([2, 3]));  // Float32Array(6), [2, 3]
 * ```
 */
export function fromTensor(tensor: tf.Tensor): { values: Float32Array | Int32Array | Uint8Array; shape: number[] } {
  return { values: tensor.dataSync() as Float32Array | Int32Array | Uint8Array, shape: tensor.shape.slice() };
}
