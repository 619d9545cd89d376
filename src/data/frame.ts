/**
 * `DataFrame`: a columnar table (typed arrays; strings dictionary-coded) produced by our loaders.
 * Large data goes from here straight to Float32Array/tensors; small frames can be handed to
 * danfojs-node (`toDanfo()`) for anything we do not implement.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { DISPLAY, INSPECT, type MimeBundle } from "../runtime/host";
import type { Column, Dtype, NumberColumn, StringColumn } from "./csv/columns";
import { toCSV, writeCSV, type CsvWriteOptions } from "./csv/write";
import { frameBundle, frameLine } from "./frame-display";
import { concatColumns } from "./frame-concat";
import { joinColumns, type JoinOptions } from "./frame-join";
import { GroupBy, valueCountColumns } from "./frame-group";
import { isMissing, maskIndices, sortedOrder } from "./frame-rows";
import { rng } from "./random";
import { assertFinite, assertSameLength } from "./tensors";

/** A cell value as plain JavaScript: number, string, Date, or null when missing. */
export type Cell = number | string | Date | null;

/** Options for {@link DataFrame.toTensor} and {@link DataFrame.toFloat32}. */
export interface FrameTensorOptions {
  /** Keep NaN/Infinity (missing values) instead of throwing. */
  allowNonFinite?: boolean;
}

/** Most rows `toDanfo()` hands over; danfojs slows sharply above this (see the data benchmark). */
export const DANFO_MAX_CELLS = 2_000_000;

function cellOf(col: Column, i: number): Cell {
  if (col.kind === "string") {
    const c = col.codes[i];
    return c < 0 ? null : col.categories[c];
  }
  const v = col.values[i];
  if (Number.isNaN(v)) return null;
  return col.dtype === "date" ? new Date(v) : v;
}

function takeColumn(col: Column, indices: ArrayLike<number>): Column {
  if (col.kind === "string") {
    const codes = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) codes[i] = col.codes[indices[i]];
    return { ...col, codes };
  }
  const values = new (col.values.constructor as Float64ArrayConstructor)(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = col.values[indices[i]];
  return { ...col, values } as NumberColumn;
}

/**
 * A table of named, typed columns.
 *
 * @example
 * ```ts
 * const df = await lepton.data.readCSV("sales.csv");
 * df.shape;                 // [rows, columns]
 * df.dtypes;                // { price: "float64", city: "string", ... }
 * df.head(5);               // renders as an HTML table in the notebook
 * const x = df.toTensor(["price", "qty"]);      // float32 [rows, 2]
 * const { labels, classes } = df.labels("city"); // int codes + names
 * df.filter("price", (p: number) => p > 100).sortBy("price", { descending: true });
 * df.groupBy("city").agg({ price: ["mean", "max"] });
 * df.valueCounts("city");
 * ```
 */
export class DataFrame {
  readonly columns: string[];
  private readonly data: Map<string, Column>;
  readonly length: number;

  constructor(names: string[], columns: Column[]) {
    this.columns = names.slice();
    this.data = new Map(names.map((n, i) => [n, columns[i]]));
    this.length = columns.length === 0 ? 0 : columns[0].kind === "string" ? columns[0].codes.length : columns[0].values.length;
    names.forEach((n, i) => {
      const c = columns[i];
      const len = c.kind === "string" ? c.codes.length : c.values.length;
      if (len !== this.length) throw new LeptonError("data:columnLengthMismatch", { column: n, expected: this.length, actual: len });
    });
  }

  /**
   * Builds a frame from plain columns: numbers (or typed arrays) become float64, strings are
   * dictionary-coded; `null`/`undefined` is missing.
   *
   * @example
   * ```ts
   * const df = lepton.data.DataFrame.fromColumns({ x: [1, 2, 3], label: ["a", "b", "a"] });
   * ```
   */
  static fromColumns(columns: Record<string, ArrayLike<number | string | null | undefined> | ArrayLike<number>>): DataFrame {
    const names = Object.keys(columns);
    return new DataFrame(names, names.map((n) => columnFromValues(n, Array.from(columns[n] as ArrayLike<unknown>))));
  }

  /**
   * Builds a frame from an array of row objects (the union of their keys are the columns).
   *
   * @example
   * ```ts
   * lepton.data.DataFrame.fromRecords([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
   * ```
   */
  static fromRecords(records: Record<string, unknown>[]): DataFrame {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of records) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
    return new DataFrame(names, names.map((n) => columnFromValues(n, records.map((r) => r[n]))));
  }

  /**
   * The rows of several frames one after another (pandas' `concat`). The frames must have the
   * same columns in the same order; number columns of different types widen to float64, and
   * string columns merge their categories.
   *
   * @example
   * ```ts
   * const all = lepton.data.DataFrame.concat([train.toFrame(), test.toFrame()]);
   * ```
   */
  static concat(frames: DataFrame[]): DataFrame {
    if (frames.length === 0) throw new LeptonError("data:concatEmpty", {});
    const names = frames[0].columns;
    frames.forEach((f, k) => {
      const same = f.columns.length === names.length && f.columns.every((c, j) => c === names[j]);
      if (!same) throw new LeptonError("data:concatColumns", { index: k, expected: names.join(", "), actual: f.columns.join(", ") });
    });
    return new DataFrame(names, names.map((n) => concatColumns(n, frames.map((f) => f.column(n)))));
  }

  /** [rows, columns]. */
  get shape(): [number, number] { return [this.length, this.columns.length]; }

  /** Column name -> dtype. */
  get dtypes(): Record<string, Dtype> {
    return Object.fromEntries(this.columns.map((n) => [n, this.data.get(n)!.dtype]));
  }

  /** The raw column (typed array storage). */
  column(name: string): Column {
    const c = this.data.get(name);
    if (!c) throw new LeptonError("data:unknownColumn", { column: name, columns: this.columns.join(", ") });
    return c;
  }

  /** A column's values as a plain array (null for missing). */
  values(name: string): Cell[] {
    const c = this.column(name);
    return Array.from({ length: this.length }, (_, i) => cellOf(c, i));
  }

  /** A number column's storage; throws when the column holds strings. */
  numeric(name: string): NumberColumn {
    const c = this.column(name);
    if (c.kind !== "number") throw new LeptonError("data:columnNotNumeric", { column: name, dtype: c.dtype });
    return c;
  }

  /** One row as an object. */
  row(i: number): Record<string, Cell> {
    return Object.fromEntries(this.columns.map((n) => [n, cellOf(this.data.get(n)!, i)]));
  }

  /** All rows as objects (for small frames). */
  toRecords(): Record<string, Cell>[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  /** The first `n` rows. */
  head(n = 5): DataFrame {
    return this.take(Int32Array.from({ length: Math.min(n, this.length) }, (_, i) => i));
  }

  /** The last `n` rows. */
  tail(n = 5): DataFrame {
    const k = Math.min(n, this.length);
    return this.take(Int32Array.from({ length: k }, (_, i) => this.length - k + i));
  }

  /**
   * The rows that pass a test: of one column's value, of a whole row, or a boolean mask (one
   * entry per row). The column form sees present values only: rows where that column is missing
   * are left out, as a comparison with NaN is false in pandas. In the row form missing values
   * are `null`. Annotate the value's type to have it checked.
   *
   * @example
   * ```ts
   * df.filter("age", (age: number) => age >= 18);
   * df.filter((row) => row.city === "Zürich" && row.price < 500);
   * df.filter(df.values("label").map((y) => y !== null));
   * ```
   */
  // `any` by default: a column's type is known only at run time; an annotation narrows it.
  filter<V = any>(column: string, test: (value: V, index: number) => boolean): DataFrame;
  filter<R = Record<string, any>>(test: (row: R, index: number) => boolean): DataFrame;
  filter(mask: ArrayLike<boolean>): DataFrame;
  filter(a: string | ((row: never, index: number) => boolean) | ArrayLike<boolean>,
    test?: (value: never, index: number) => boolean): DataFrame {
    if (typeof a === "string") {
      const c = this.column(a);
      if (typeof test !== "function") throw new LeptonError("data:filterNeedsTest", { column: a });
      const keep: number[] = [];
      for (let i = 0; i < this.length; i++) {
        const v = cellOf(c, i);
        if (v !== null && test(v as never, i)) keep.push(i);
      }
      return this.take(Int32Array.from(keep));
    }
    if (typeof a === "function") {
      const keep: number[] = [];
      for (let i = 0; i < this.length; i++) if (a(this.row(i) as never, i)) keep.push(i);
      return this.take(Int32Array.from(keep));
    }
    if (a === null || typeof a !== "object" || typeof (a as ArrayLike<boolean>).length !== "number") {
      throw new LeptonError("data:filterArgument", { got: a === null ? "null" : typeof a });
    }
    return this.take(maskIndices(a, this.length));
  }

  /**
   * The rows sorted by one or more columns (then by the next to break ties); stable, missing
   * values last, strings by Unicode code point.
   *
   * @example
   * ```ts
   * df.sortBy("price", { descending: true }).head(10);
   * df.sortBy(["city", "price"], { descending: [false, true] });
   * ```
   */
  sortBy(by: string | string[], options: { descending?: boolean | boolean[] } = {}): DataFrame {
    const names = Array.isArray(by) ? by : [by];
    const d = options.descending ?? false;
    if (Array.isArray(d) && d.length !== names.length) throw new LeptonError("data:sortDirections", { columns: names.length, directions: d.length });
    const descending = names.map((_, k) => (Array.isArray(d) ? d[k] : d));
    return this.take(sortedOrder(names.map((n) => this.column(n)), descending, this.length));
  }

  /**
   * `n` rows drawn at random without replacement, seeded (`seed`, else `lepton.seed(n)`), so a
   * notebook shows the same sample on every run.
   *
   * @example
   * ```ts
   * df.sample(5, { seed: 1 });
   * ```
   */
  sample(n: number, options: { seed?: number } = {}): DataFrame {
    if (!Number.isInteger(n) || n < 0 || n > this.length) throw new LeptonError("data:sampleSize", { n: String(n), rows: this.length });
    const order = rng(options.seed).shuffle(Array.from({ length: this.length }, (_, i) => i));
    return this.take(Int32Array.from(order.slice(0, n)));
  }

  /**
   * The column's distinct values in order of first appearance (`null` once if any is missing).
   *
   * @example
   * ```ts
   * df.unique("city"); // ["Zürich", "北京", null]
   * ```
   */
  unique(name: string): Cell[] {
    const c = this.column(name);
    const seen = new Set<number>();
    let missingSeen = false;
    const out: Cell[] = [];
    for (let i = 0; i < this.length; i++) {
      if (isMissing(c, i)) {
        if (!missingSeen) out.push(null);
        missingSeen = true;
        continue;
      }
      const key = c.kind === "string" ? c.codes[i] : c.values[i];
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(cellOf(c, i));
    }
    return out;
  }

  /**
   * How often each value of a column occurs: a frame of the values and their `count` (or
   * `proportion`), most frequent first (ties in order of first appearance). Missing values are left out unless
   * `dropMissing: false`.
   *
   * @example
   * ```ts
   * df.valueCounts("label");
   * df.valueCounts("city", { normalize: true });
   * ```
   */
  valueCounts(name: string, options: { normalize?: boolean; dropMissing?: boolean } = {}): DataFrame {
    const { names, columns } = valueCountColumns(this.column(name), name, this.length, options);
    return new DataFrame(names, columns);
  }

  /**
   * Groups rows by the values of one or more columns; `agg` or a shortcut (`mean()`, `count()`,
   * `size()`, ...) then makes one row per group, groups sorted by key, rows with a missing key
   * left out (as pandas).
   *
   * @example
   * ```ts
   * df.groupBy("city").agg({ price: ["mean", "max"], id: "count" });
   * df.groupBy(["city", "year"]).size();
   * ```
   */
  groupBy(by: string | string[]): GroupBy<DataFrame> {
    return new GroupBy(this, Array.isArray(by) ? by : [by], (names, cols) => new DataFrame(names, cols));
  }

  /**
   * This table joined with `other` on key columns (pandas' `merge`): "inner" keeps rows with a
   * match in both, "left" keeps every row of this table (missing values where `other` has no
   * match). Rows are ordered as pandas orders them (a left join keeps this table's order, an inner
   * join groups rows by key); a key matched several times gives several rows. Missing keys match
   * nothing. Other columns present in both get the suffixes "_x" and "_y".
   *
   * @example
   * ```ts
   * const orders = await lepton.data.readCSV("orders.csv");
   * const customers = await lepton.data.readCSV("customers.csv");
   * orders.join(customers, { on: "customerId", how: "left" });
   * ```
   */
  join(other: DataFrame, options: JoinOptions): DataFrame {
    const { names, columns } = joinColumns(this, other, options);
    return new DataFrame(names, columns);
  }

  /**
   * A copy with columns renamed (`{ old: "new" }`); the order of columns is kept.
   *
   * @example
   * ```ts
   * df.rename({ "Sepal Length": "sepalLength" });
   * ```
   */
  rename(names: Record<string, string>): DataFrame {
    for (const old of Object.keys(names)) this.column(old);
    const renamed = this.columns.map((n) => names[n] ?? n);
    const dup = renamed.find((n, i) => renamed.indexOf(n) !== i);
    if (dup !== undefined) throw new LeptonError("data:renameDuplicate", { column: dup });
    return new DataFrame(renamed, this.columns.map((n) => this.data.get(n)!));
  }

  /** The rows at `indices`, in that order (for splits, shuffles, filters). */
  take(indices: ArrayLike<number>): DataFrame {
    return new DataFrame(this.columns, this.columns.map((n) => takeColumn(this.data.get(n)!, indices)));
  }

  /** Only the named columns. */
  select(names: string[]): DataFrame {
    return new DataFrame(names, names.map((n) => this.column(n)));
  }

  /** All but the named columns. */
  drop(names: string[]): DataFrame {
    for (const n of names) this.column(n);
    const keep = this.columns.filter((n) => !names.includes(n));
    return this.select(keep);
  }

  /** A copy with `name` set to `column` (added or replaced). */
  withColumn(name: string, column: Column | ArrayLike<number | string | null>): DataFrame {
    const col = isColumn(column) ? column : columnFromValues(name, Array.from(column as ArrayLike<unknown>));
    const names = this.columns.includes(name) ? this.columns : [...this.columns, name];
    return new DataFrame(names, names.map((n) => (n === name ? col : this.data.get(n)!)));
  }

  /** Missing values per column. */
  missingCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of this.columns) {
      const c = this.data.get(n)!;
      let k = 0;
      if (c.kind === "string") { for (const code of c.codes) if (code < 0) k++; }
      else for (const v of c.values) if (Number.isNaN(v)) k++;
      out[n] = k;
    }
    return out;
  }

  /**
   * Number columns as one row-major Float32Array `[rows * columns.length]`. Refuses string
   * columns and (unless allowed) NaN/Infinity, naming the column and row.
   */
  toFloat32(names: string[] = this.columns, options: FrameTensorOptions = {}): Float32Array {
    const cols = names.map((n) => this.numeric(n).values);
    const k = cols.length, n = this.length;
    const out = new Float32Array(n * k);
    for (let j = 0; j < k; j++) {
      const v = cols[j];
      for (let i = 0; i < n; i++) out[i * k + j] = v[i];
    }
    if (!options.allowNonFinite) assertFinite(out, k, names);
    return out;
  }

  /**
   * Number columns as a float32 tensor `[rows, columns]`.
   *
   * @example
   * ```ts
   * const x = df.toTensor(df.columns.filter((c) => c !== "label"));
   * ```
   */
  toTensor(names: string[] = this.columns, options: FrameTensorOptions = {}): tf.Tensor2D {
    return tf.tensor2d(this.toFloat32(names, options), [this.length, names.length], "float32");
  }

  /**
   * A column as class labels: int codes (classes sorted) and class names. Missing labels are an
   * error (a sample without a label cannot be trained on).
   */
  labels(name: string): { labels: Int32Array; classes: string[] } {
    const c = this.column(name);
    let keys: (string | number)[];
    let codeOf: (i: number) => number;
    if (c.kind === "string") {
      const order = c.categories.map((s, i) => [s, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const remap = new Int32Array(c.categories.length);
      order.forEach(([, old], i) => { remap[old] = i; });
      keys = order.map(([s]) => s);
      codeOf = (i) => (c.codes[i] < 0 ? -1 : remap[c.codes[i]]);
    } else {
      const distinct = [...new Set(Array.from(c.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      const index = new Map(distinct.map((v, i) => [v, i]));
      keys = distinct;
      codeOf = (i) => (Number.isNaN(c.values[i]) ? -1 : index.get(c.values[i])!);
    }
    const labels = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const code = codeOf(i);
      if (code < 0) throw new LeptonError("data:missingLabel", { column: name, row: i + 1 });
      labels[i] = code;
    }
    assertSameLength(this.length, labels.length);
    return { labels, classes: keys.map(String) };
  }

  /**
   * Mean of number columns per group of `by` (missing values skipped), one row per group.
   *
   * @example
   * ```ts
   * df.groupByMean("label");            // every number column
   * df.groupByMean("label", ["price"]);
   * ```
   */
  groupByMean(by: string, names?: string[]): DataFrame {
    const meanNames = names ?? this.columns.filter((n) => n !== by && this.data.get(n)!.kind === "number");
    for (const n of meanNames) this.numeric(n);
    return this.groupBy(by).agg(Object.fromEntries(meanNames.map((n) => [n, "mean" as const])));
  }

  /**
   * Summary statistics of number columns (count, mean, std, min, quartiles, max), like pandas'
   * describe().
   */
  describe(): DataFrame {
    const stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];
    const numericNames = this.columns.filter((n) => this.data.get(n)!.kind === "number");
    const cols: Column[] = numericNames.map((n) => {
      const v = Float64Array.from(this.numeric(n).values).filter((x) => !Number.isNaN(x)).sort();
      const count = v.length;
      const mean = v.reduce((a, b) => a + b, 0) / count;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (count - 1));
      const q = (p: number) => {
        const at = (count - 1) * p, lo = Math.floor(at), hi = Math.ceil(at);
        return v[lo] + (v[hi] - v[lo]) * (at - lo);
      };
      return { kind: "number", dtype: "float64", values: Float64Array.from([count, mean, std, v[0], q(0.25), q(0.5), q(0.75), v[count - 1]]) };
    });
    return new DataFrame(["", ...numericNames], [{ kind: "string", dtype: "string", codes: Int32Array.from(stats, (_, i) => i), categories: stats }, ...cols]);
  }

  /**
   * The frame as CSV text (RFC 4180 quoting; missing values empty), which `parseCSV` reads back.
   *
   * @example
   * ```ts
   * console.log(df.head(3).toCSV());
   * ```
   */
  toCSV(options: CsvWriteOptions = {}): string {
    return toCSV(this, options);
  }

  /**
   * Writes the frame to a CSV file (an existing file is replaced only once the new one is
   * complete); returns the absolute path.
   *
   * @example
   * ```ts
   * await df.groupBy("city").mean().writeCSV("results/by-city.csv");
   * ```
   */
  writeCSV(file: string, options: CsvWriteOptions = {}): Promise<string> {
    return writeCSV(this, file, options);
  }

  /**
   * Hands a small frame to danfojs-node (for operations lepton does not have). Refuses frames
   * above {@link DANFO_MAX_CELLS} cells: danfojs is far slower than lepton's columnar paths.
   *
   * @example
   * ```ts
   * const ddf = await df.head(1000).toDanfo();
   * ddf.groupby(["city"]).agg({ price: "median" }).print();
   * ```
   */
  async toDanfo(): Promise<unknown> {
    const cells = this.length * this.columns.length;
    if (cells > DANFO_MAX_CELLS) throw new LeptonError("data:tooLargeForDanfo", { cells, max: DANFO_MAX_CELLS });
    const dfd = (await import("danfojs-node")) as unknown as { DataFrame: new (data: unknown, options?: unknown) => unknown };
    const data = Object.fromEntries(this.columns.map((n) => [n, this.values(n).map((v) => (v instanceof Date ? v.toISOString() : v))]));
    return new dfd.DataFrame(data);
  }

  [DISPLAY](): MimeBundle {
    return frameBundle(this);
  }

  [INSPECT](): string {
    return frameLine(this);
  }
}

function isColumn(value: unknown): value is Column {
  return typeof value === "object" && value !== null && "kind" in value && "dtype" in value;
}

/** Numbers -> float64 column; anything with a string -> string column; null/undefined/NaN missing. */
export function columnFromValues(name: string, values: unknown[]): Column {
  if (values.every((v) => v === null || v === undefined || typeof v === "number")) {
    return { kind: "number", dtype: "float64", values: Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : (v as number))) };
  }
  if (values.every((v) => v === null || v === undefined || v instanceof Date)) {
    return { kind: "number", dtype: "date", values: Float64Array.from(values, (v) => (v instanceof Date ? v.getTime() : NaN)) };
  }
  const lookup = new Map<string, number>();
  const categories: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return -1;
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    let c = lookup.get(s);
    if (c === undefined) { c = categories.length; categories.push(s); lookup.set(s, c); }
    return c;
  });
  void name;
  return { kind: "string", dtype: "string", codes, categories } as StringColumn;
}
