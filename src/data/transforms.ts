/**
 * Fitted transforms (scalers and encoders) and the `Pipeline` that chains them. Each is fitted on
 * the training split only and then applied unchanged to validation, test and served data; each
 * serialises to JSON so a deployed model applies exactly the same transform.
 */
import { LeptonError } from "../i18n/index";
import type { Column } from "./csv/columns";
import { DataFrame } from "./frame";
import { DISPLAY, INSPECT, type MimeBundle } from "../runtime/host";
import { transformBundle, transformLine, type ShownTransform } from "./transform-display";

/** A fitted (or fittable) transform over DataFrame columns. */
export interface Transform {
  readonly type: string;
  fit(df: DataFrame): this;
  transform(df: DataFrame): DataFrame;
  toJSON(): TransformJSON;
}

/** The serialised form of a transform. */
export interface TransformJSON { type: string; columns: string[]; [key: string]: unknown }

function numberColumns(df: DataFrame, columns?: string[]): string[] {
  return columns ?? df.columns.filter((n) => df.column(n).kind === "number" && df.column(n).dtype !== "date");
}

abstract class ColumnwiseScaler implements Transform {
  abstract readonly type: string;
  columns: string[] | undefined;
  a: number[] = [];
  b: number[] = [];
  constructor(columns?: string[]) { this.columns = columns; }
  protected abstract stats(values: Float64Array): [number, number];
  fit(df: DataFrame): this {
    this.columns = numberColumns(df, this.columns);
    const ab = this.columns.map((n) => this.stats(Float64Array.from(df.numeric(n).values).filter((v) => !Number.isNaN(v))));
    this.a = ab.map((x) => x[0]);
    this.b = ab.map((x) => x[1]);
    return this;
  }
  private fitted(): string[] {
    if (this.a.length === 0 || !this.columns) throw new LeptonError("data:notFitted", { type: this.type });
    return this.columns;
  }
  /** (value - a) / b per column. */
  transform(df: DataFrame): DataFrame {
    let out = df;
    this.fitted().forEach((n, j) => {
      const v = df.numeric(n).values;
      const a = this.a[j], b = this.b[j];
      out = out.withColumn(n, { kind: "number", dtype: "float64", values: Float64Array.from(v, (x) => (x - a) / b) });
    });
    return out;
  }
  /** Applies the transform to a row-major array whose columns are `columns` in order. */
  transformArray(values: Float32Array): Float32Array {
    const k = this.fitted().length;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i] - this.a[i % k]) / this.b[i % k];
    return out;
  }
  /** The inverse: original units from scaled values (row-major, `columns` order). */
  inverseArray(values: Float32Array): Float32Array {
    const k = this.fitted().length;
    return values.map((v, i) => v * this.b[i % k] + this.a[i % k]);
  }
  toJSON(): TransformJSON { return { type: this.type, columns: this.fitted(), a: this.a, b: this.b }; }
  /** @internal What its display shows. */
  shown(): ShownTransform { return { kind: "scaler", type: this.type, columns: this.columns, a: this.a, b: this.b }; }
  /** The learned statistics per column as a table (or that it is not fitted yet). */
  [DISPLAY](): MimeBundle { return transformBundle(this.shown()); }
  [INSPECT](): string { return transformLine(this.shown()); }
}

/**
 * Z-score standardisation: (x - mean) / std per column, statistics from the training split.
 *
 * @example
 * ```ts
 * const scaler = new lepton.data.StandardScaler(["age", "income"]).fit(train);
 * const testScaled = scaler.transform(test);   // uses the training mean and std
 * ```
 */
export class StandardScaler extends ColumnwiseScaler {
  readonly type = "StandardScaler";
  protected stats(v: Float64Array): [number, number] {
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
    return [mean, std > 0 ? std : 1];
  }
  /** Fits on a row-major array with `k` columns (for data that never was a DataFrame). */
  fitArray(values: Float32Array, k: number): this {
    this.columns ??= Array.from({ length: k }, (_, j) => `c${j}`);
    const n = values.length / k;
    this.a = []; this.b = [];
    for (let j = 0; j < k; j++) {
      const [a, b] = this.stats(Float64Array.from({ length: n }, (_, i) => values[i * k + j]));
      this.a.push(a); this.b.push(b);
    }
    return this;
  }
}

/**
 * Min-max scaling to [0, 1] per column, range from the training split.
 *
 * @example
 * ```ts
 * const mm = new lepton.data.MinMaxScaler().fit(train);
 * ```
 */
export class MinMaxScaler extends ColumnwiseScaler {
  readonly type = "MinMaxScaler";
  protected stats(v: Float64Array): [number, number] {
    let lo = Infinity, hi = -Infinity;
    for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
    return [lo, hi > lo ? hi - lo : 1];
  }
}

/**
 * Label encoding: a string column's values -> integer codes (sorted), fitted on training data.
 * Unknown values in later data are an error (or code -1 with `handleUnknown: "ignore"`).
 *
 * @example
 * ```ts
 * const enc = new lepton.data.LabelEncoder(["city"]).fit(train);
 * enc.transform(test);
 * ```
 */
export class LabelEncoder implements Transform {
  readonly type: string = "LabelEncoder";
  categories: Record<string, string[]> = {};
  constructor(public columns: string[] = [], readonly handleUnknown: "error" | "ignore" = "error") {}
  fit(df: DataFrame): this {
    if (this.columns.length === 0) this.columns = df.columns.filter((n) => df.column(n).kind === "string");
    for (const n of this.columns) {
      const values = new Set<string>();
      for (const v of df.values(n)) if (v !== null) values.add(String(v));
      this.categories[n] = [...values].sort();
    }
    return this;
  }
  protected codes(df: DataFrame, n: string): Int32Array {
    const cats = this.categories[n];
    if (!cats) throw new LeptonError("data:notFitted", { type: this.type });
    const index = new Map(cats.map((c, i) => [c, i]));
    return Int32Array.from(df.values(n), (v, row) => {
      const code = v === null ? undefined : index.get(String(v));
      if (code !== undefined) return code;
      if (this.handleUnknown === "ignore") return -1;
      if (v === null) throw new LeptonError("data:encodeMissing", { column: n, row: row + 1 });
      throw new LeptonError("data:unknownLabel", { column: n, label: String(v), row: row + 1, known: cats.slice(0, 20).join(", ") });
    });
  }
  transform(df: DataFrame): DataFrame {
    let out = df;
    for (const n of this.columns) {
      out = out.withColumn(n, { kind: "number", dtype: "float64", values: Float64Array.from(this.codes(df, n), (c) => (c < 0 ? NaN : c)) });
    }
    return out;
  }
  toJSON(): TransformJSON { return { type: this.type, columns: this.columns, categories: this.categories, handleUnknown: this.handleUnknown }; }
  /** @internal What its display shows. */
  shown(): ShownTransform { return { kind: "encoder", type: this.type, columns: this.columns, categories: this.categories }; }
  /** The learned categories per column as a table (or that it is not fitted yet). */
  [DISPLAY](): MimeBundle { return transformBundle(this.shown()); }
  [INSPECT](): string { return transformLine(this.shown()); }
}

/**
 * One-hot encoding: each string column becomes one 0/1 column per training category
 * (`city=Paris`, ...). Unknown values are an error, or all zeros with `handleUnknown: "ignore"`.
 *
 * @example
 * ```ts
 * const oh = new lepton.data.OneHotEncoder(["city"]).fit(train);
 * oh.transform(test).columns;   // [..., "city=Lima", "city=Paris"]
 * ```
 */
export class OneHotEncoder extends LabelEncoder {
  readonly type: string = "OneHotEncoder";
  transform(df: DataFrame): DataFrame {
    let out = df;
    for (const n of this.columns) {
      const codes = this.codes(df, n);
      out = out.drop([n]);
      this.categories[n].forEach((cat, k) => {
        const col: Column = { kind: "number", dtype: "float32", values: Float32Array.from(codes, (c) => (c === k ? 1 : 0)) };
        out = out.withColumn(`${n}=${cat}`, col);
      });
    }
    return out;
  }
}

const TYPES: Record<string, (j: TransformJSON) => Transform> = {
  StandardScaler: (j) => Object.assign(new StandardScaler(j.columns), { a: j.a as number[], b: j.b as number[] }),
  MinMaxScaler: (j) => Object.assign(new MinMaxScaler(j.columns), { a: j.a as number[], b: j.b as number[] }),
  LabelEncoder: (j) => Object.assign(new LabelEncoder(j.columns, j.handleUnknown as "error"), { categories: j.categories as Record<string, string[]> }),
  OneHotEncoder: (j) => Object.assign(new OneHotEncoder(j.columns, j.handleUnknown as "error"), { categories: j.categories as Record<string, string[]> }),
};

/**
 * Rebuilds a fitted transform (or a Pipeline) from its JSON.
 *
 * @example
 * ```ts
 * const same = lepton.data.transformFromJSON(JSON.parse(fs.readFileSync("prep.json", "utf8")));
 * ```
 */
export function transformFromJSON(json: TransformJSON | PipelineJSON): Transform {
  if (json.type === "Pipeline") return Pipeline.fromJSON(json as PipelineJSON);
  const make = TYPES[json.type];
  if (!make) throw new LeptonError("data:unknownTransform", { type: json.type, known: [...Object.keys(TYPES), "Pipeline"].join(", ") });
  return make(json as TransformJSON);
}

export interface PipelineJSON { type: "Pipeline"; steps: TransformJSON[]; columns: string[] }

/**
 * Transforms applied in order; `fit` fits each step on the output of the previous one (training
 * data only), `transform` applies them all. Serialisable as a whole.
 *
 * @example
 * ```ts
 * const prep = new lepton.data.Pipeline([new lepton.data.OneHotEncoder(["city"]), new lepton.data.StandardScaler()]);
 * prep.fit(train);
 * const x = prep.transform(test).toTensor();
 * fs.writeFileSync("prep.json", JSON.stringify(prep));   // the server loads it with Pipeline.fromJSON
 * ```
 */
export class Pipeline implements Transform {
  readonly type = "Pipeline";
  constructor(readonly steps: Transform[]) {}
  fit(df: DataFrame): this {
    let cur = df;
    for (const s of this.steps) cur = s.fit(cur).transform(cur);
    return this;
  }
  transform(df: DataFrame): DataFrame {
    return this.steps.reduce((cur, s) => s.transform(cur), df);
  }
  /** fit then transform the same (training) data. */
  fitTransform(df: DataFrame): DataFrame {
    return this.fit(df).transform(df);
  }
  toJSON(): TransformJSON { return { type: "Pipeline", columns: [], steps: this.steps.map((s) => s.toJSON()) }; }
  /** @internal What its display shows (steps that are not lepton's own show by their type). */
  shown(): ShownTransform {
    const step = (s: Transform): ShownTransform => (typeof (s as { shown?: unknown }).shown === "function" ? (s as unknown as { shown(): ShownTransform }).shown() : { kind: "other", type: s.type });
    return { kind: "pipeline", steps: this.steps.map(step) };
  }
  /** Each step's learned statistics, in order. */
  [DISPLAY](): MimeBundle { return transformBundle(this.shown()); }
  [INSPECT](): string { return transformLine(this.shown()); }
  static fromJSON(json: PipelineJSON | TransformJSON): Pipeline {
    return new Pipeline((json as PipelineJSON).steps.map((s) => transformFromJSON(s)));
  }
}
