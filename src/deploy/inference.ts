/**
 * From raw request rows to predictions: validate and flatten rows (or run the saved
 * preprocessing), run the model on a batch, turn scores into labels and probabilities. Shared by
 * `Bundle.predict` and the server, so both answer the same way.
 */
import * as tf from "@tensorflow/tfjs";
import { RequestError } from "./request-error";
import type { Preprocessor } from "./preprocessing";
import type { Signature, Task } from "./signature";

/** One prediction: class label and probabilities for classifiers, the output value otherwise. */
export type Prediction = { label: string; probabilities: number[] } | number | number[];

/** Rows made ready for the model: `n` rows of `rowSize` values, back to back. */
export interface PreparedRows {
  data: Float32Array;
  n: number;
}

const shapeText = (shape: number[]) => `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`;

function shapeOfValue(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

const describe = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** One model input as a row holds it: its shape without the batch dimension, and where it sits in the packed row. */
interface InputSlot {
  name: string;
  shape: number[];
  size: number;
  offset: number;
  dtype: string;
}

/**
 * Runs one model with its signature, labels and preprocessing. A model with several inputs gets
 * rows that name each input (`{"a": [...], "b": [...]}`, TF Serving's form); each prepared row
 * holds the inputs back to back, so batching works unchanged, and `run` splits them again.
 */
export class InferenceRunner {
  /** The input shape of one row (batch dimension dropped), of the first input. */
  readonly rowShape: number[];
  /** Values per prepared row (all inputs together). */
  readonly rowSize: number;
  private readonly slots: InputSlot[];

  constructor(
    readonly model: tf.LayersModel,
    readonly signature: Signature,
    readonly task: Task,
    readonly labels: string[] | undefined,
    readonly preprocessor: Preprocessor | undefined,
  ) {
    let offset = 0;
    this.slots = signature.inputs.map((input) => {
      const shape = input.shape.slice(1);
      const size = shape.reduce((a, b) => a * Math.max(1, b), 1);
      offset += size;
      return { name: input.name, shape, size, offset: offset - size, dtype: input.dtype };
    });
    this.rowShape = this.slots[0].shape;
    this.rowSize = offset;
  }

  /** What one row must look like, for error messages. */
  expectedRow(): string {
    if (this.slots.length > 1) return `{${this.slots.map((s) => `"${s.name}": ${shapeText(s.shape)}`).join(", ")}}`;
    const features = this.signature.features ?? this.preprocessor?.features;
    return features?.length ? `{${features.join(", ")}} / ${shapeText(this.rowShape)}` : shapeText(this.rowShape);
  }

  /** Validates raw rows and turns them into model input; `where` names the field for messages. */
  prepare(rows: unknown, where: string): PreparedRows {
    if (!Array.isArray(rows)) throw new RequestError(400, "deploy:expectedList", { field: where, got: describe(rows), expected: this.expectedRow() });
    if (rows.length === 0) throw new RequestError(400, "deploy:emptyList", { field: where });
    if (this.preprocessor) return this.preprocessed(rows, where);
    const data = new Float32Array(rows.length * this.rowSize);
    if (this.slots.length > 1) {
      rows.forEach((row, i) => this.flattenInputs(row, data, i * this.rowSize, `${where}[${i}]`));
      return { data, n: rows.length };
    }
    rows.forEach((row, i) => this.flattenRow(this.rowValue(row, `${where}[${i}]`), data, i * this.rowSize, `${where}[${i}]`, this.slots[0]));
    return { data, n: rows.length };
  }

  /** A row of a several-input model: an object with a value for every input. */
  private flattenInputs(row: unknown, out: Float32Array, offset: number, where: string): void {
    const names = this.slots.map((s) => s.name);
    if (row === null || typeof row !== "object" || Array.isArray(row)) throw new RequestError(400, "deploy:expectedInputsObject", { field: where, got: describe(row), expected: this.expectedRow() });
    const obj = row as Record<string, unknown>;
    const missing = names.filter((name) => !(name in obj));
    if (missing.length) throw new RequestError(400, "deploy:missingInputs", { field: where, missing: missing.join(", "), expected: this.expectedRow() });
    for (const slot of this.slots) this.flattenRow(obj[slot.name], out, offset + slot.offset, `${where}.${slot.name}`, slot);
  }

  /**
   * Rows already read as numbers (see `readNumericBody`), when they are exactly what the model
   * takes: no preprocessing, and `shape` is `[n, ...rowShape]`. Undefined otherwise, and the caller
   * takes the general path (which explains what is wrong, if anything is).
   */
  prepareNumeric(data: Float32Array, shape: number[]): PreparedRows | undefined {
    if (this.preprocessor || this.slots.length > 1 || shape.length !== this.rowShape.length + 1) return undefined;
    for (let d = 0; d < this.rowShape.length; d++) if (!(this.rowShape[d] > 0 && this.rowShape[d] === shape[d + 1])) return undefined;
    return { data, n: shape[0] };
  }

  /** Columnar input (`{feature: [values...]}`) turned into rows. */
  columnsToRows(columns: Record<string, unknown>, where: string): unknown[] {
    const names = Object.keys(columns);
    const lengths = names.map((k) => (Array.isArray(columns[k]) ? (columns[k] as unknown[]).length : -1));
    const bad = names.find((_, i) => lengths[i] < 0);
    if (bad !== undefined) throw new RequestError(400, "deploy:expectedList", { field: `${where}.${bad}`, got: describe(columns[bad]), expected: this.expectedRow() });
    if (new Set(lengths).size > 1) throw new RequestError(400, "deploy:columnLengths", { field: where, lengths: names.map((k, i) => `${k}=${lengths[i]}`).join(", ") });
    return Array.from({ length: lengths[0] ?? 0 }, (_, r) => Object.fromEntries(names.map((k) => [k, (columns[k] as unknown[])[r]])));
  }

  private rowValue(row: unknown, where: string): unknown {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return row;
    const obj = row as Record<string, unknown>;
    const inputName = this.signature.inputs[0].name;
    if (inputName in obj && Object.keys(obj).length === 1) return obj[inputName];
    const features = this.signature.features;
    if (!features?.length) throw new RequestError(400, "deploy:unexpectedObject", { field: where, expected: this.expectedRow(), input: inputName });
    const missing = features.filter((f) => !(f in obj));
    if (missing.length) throw new RequestError(400, "deploy:missingFeatures", { field: where, missing: missing.join(", "), expected: features.join(", ") });
    return features.map((f) => obj[f]);
  }

  private flattenRow(value: unknown, out: Float32Array, offset: number, where: string, slot: InputSlot): void {
    let k = offset;
    const { shape: rowShape, size: rowSize } = slot;
    const rank = rowShape.length;
    // Hot path (every request): no strings are built unless something is wrong.
    const walk = (v: unknown, dim: number): boolean => {
      if (dim === rank) {
        if (typeof v !== "number" || !Number.isFinite(v)) return false;
        out[k++] = v;
        return true;
      }
      const want = rowShape[dim];
      if (!Array.isArray(v) || (want >= 0 && v.length !== want)) return false;
      if (dim === rank - 1) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (typeof x !== "number" || !Number.isFinite(x)) return false;
          out[k++] = x;
        }
        return true;
      }
      for (let i = 0; i < v.length; i++) if (!walk(v[i], dim + 1)) return false;
      return true;
    };
    // A bare number for a one-value row is fine (`instances: [1, 2, 3]` for shape [1]).
    const row = rank === 1 && rowShape[0] === 1 && typeof value === "number" ? [value] : value;
    if (walk(row, 0) && k - offset === rowSize) return;
    this.explainRow(row, where, slot);
  }

  /** Finds the first problem in a row and throws a 400 that names it. */
  private explainRow(row: unknown, where: string, slot: InputSlot): never {
    const rank = slot.shape.length;
    const find = (v: unknown, dim: number, at: string): void => {
      if (dim === rank) {
        if (typeof v !== "number" || !Number.isFinite(v)) throw new RequestError(400, "deploy:expectedNumber", { field: at, got: typeof v === "number" ? String(v) : describe(v), dtype: slot.dtype });
        return;
      }
      const want = slot.shape[dim];
      if (!Array.isArray(v) || (want >= 0 && v.length !== want)) throw new RequestError(400, "deploy:wrongShape", { field: where, expected: shapeText(slot.shape), got: shapeText(shapeOfValue(row)) });
      v.forEach((item, i) => find(item, dim + 1, `${at}[${i}]`));
    };
    find(row, 0, where);
    throw new RequestError(400, "deploy:wrongShape", { field: where, expected: shapeText(slot.shape), got: shapeText(shapeOfValue(row)) });
  }

  private preprocessed(rows: unknown[], where: string): PreparedRows {
    let out: ReturnType<Preprocessor["transform"]>;
    try {
      out = (this.preprocessor as Preprocessor).transform(rows);
    } catch (e) {
      throw new RequestError(400, "deploy:preprocessingFailed", { field: where, reason: e instanceof Error ? e.message : String(e), expected: this.expectedRow() });
    }
    let values: ArrayLike<number>;
    if (out instanceof tf.Tensor) {
      values = out.dataSync() as Float32Array;
      out.dispose();
    } else if (out instanceof Float32Array) values = out;
    else values = (out as unknown[]).flat(Infinity) as number[];
    if (values.length !== rows.length * this.rowSize) {
      throw new RequestError(400, "deploy:preprocessingShape", { field: where, rows: rows.length, got: values.length, expected: rows.length * this.rowSize });
    }
    const data = Float32Array.from(values);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RequestError(400, "deploy:preprocessingNotFinite", { field: `${where}[${Math.floor(bad / this.rowSize)}]`, expected: this.expectedRow() });
    return { data, n: rows.length };
  }

  /** Runs the model on `n` prepared rows; returns the flat output and its width per row. */
  async run(data: Float32Array, n: number): Promise<{ values: Float32Array; width: number }> {
    const input = this.slots.length === 1 ? this.tensorOf(data, n, this.slots[0]) : this.slots.map((slot) => this.tensorOf(this.column(data, n, slot), n, slot));
    try {
      // One pass over the whole batch: predict() would cut it into chunks of 32 rows, paying the
      // per-layer overhead (and a concat) again for each.
      const out = this.model.predict(input, { batchSize: Math.min(n, 1024) }) as tf.Tensor | tf.Tensor[];
      const first = Array.isArray(out) ? out[0] : out;
      const values = (await first.data()) as Float32Array;
      tf.dispose(out);
      return { values: Float32Array.from(values), width: values.length / n };
    } finally {
      tf.dispose(input);
    }
  }

  private tensorOf(data: Float32Array, n: number, slot: InputSlot): tf.Tensor {
    return tf.tensor(data, [n, ...slot.shape.map((d) => Math.max(1, d))], slot.dtype as tf.DataType);
  }

  /** One input's values out of packed rows. */
  private column(data: Float32Array, n: number, slot: InputSlot): Float32Array {
    const out = new Float32Array(n * slot.size);
    for (let r = 0; r < n; r++) out.set(data.subarray(r * this.rowSize + slot.offset, r * this.rowSize + slot.offset + slot.size), r * slot.size);
    return out;
  }

  /** Turns the model output rows into predictions (labels + probabilities for classifiers). */
  decode(values: Float32Array, width: number, n: number): Prediction[] {
    const preds: Prediction[] = [];
    for (let r = 0; r < n; r++) {
      const row = Array.from(values.subarray(r * width, (r + 1) * width));
      if (this.task !== "classification") {
        preds.push(width === 1 ? row[0] : row);
        continue;
      }
      const probabilities = width === 1 ? [1 - row[0], row[0]] : row;
      let best = 0;
      for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
      preds.push({ label: this.labels?.[best] ?? String(best), probabilities });
    }
    return preds;
  }

  /** Class names in output order (labels, or the indices as text). */
  classNames(): string[] {
    const width = this.signature.outputs[0]?.shape.slice(-1)[0] ?? 1;
    const k = width === 1 ? 2 : width;
    return this.labels?.length ? this.labels : Array.from({ length: k }, (_, i) => String(i));
  }
}
