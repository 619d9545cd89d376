/**
 * Grouping for `DataFrame`: `groupBy(keys).agg({...})` and `valueCounts`, with pandas' semantics
 * (groups sorted by key, rows with a missing key left out, missing values skipped by every
 * aggregation, sample standard deviation). One pass over the rows assigns group numbers; each
 * aggregation is then one pass over a column's typed array.
 */
import { formatNumber, LeptonError, t } from "../i18n/index";
import { DISPLAY, INSPECT, type MimeBundle } from "../runtime/host";
import type { Column, NumberColumn } from "./csv/columns";
import { compareText, isMissing } from "./frame-rows";

/** What `agg` can compute per group. */
export type Aggregation = "count" | "size" | "nunique" | "sum" | "mean" | "median" | "std" | "var" | "min" | "max" | "first" | "last";

export const AGGREGATIONS: readonly Aggregation[] = ["count", "size", "nunique", "sum", "mean", "median", "std", "var", "min", "max", "first", "last"];

/** Aggregations that need numbers (not strings or dates). */
const ARITHMETIC = new Set<Aggregation>(["sum", "mean", "median", "std", "var"]);

/** The group of each row (-1: a key is missing) and one key column per grouping column, sorted. */
export interface Groups {
  groupOf: Int32Array;
  count: number;
  keys: Column[];
  /** The first row of each group (groups in key order). */
  firstRow: Int32Array;
}

/** Numbers rows by the distinct combinations of their key values, in sorted key order. */
export function groupRows(keyCols: Column[], length: number): Groups {
  const index = new Map<string, number>();
  const first: number[] = [];
  const raw = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    let id = "";
    let missing = false;
    for (const c of keyCols) {
      if (isMissing(c, i)) { missing = true; break; }
      id += (c.kind === "string" ? c.codes[i] : c.values[i]) + "\u0000";
    }
    if (missing) { raw[i] = -1; continue; }
    let g = index.get(id);
    if (g === undefined) { g = first.length; index.set(id, g); first.push(i); }
    raw[i] = g;
  }
  // Sort groups by their keys; relabel rows so that group numbers follow that order.
  const order = first.map((_, g) => g).sort((a, b) => {
    for (const c of keyCols) {
      const i = first[a], j = first[b];
      const r = c.kind === "string" ? compareText(c.categories[c.codes[i]], c.categories[c.codes[j]]) : c.values[i] - c.values[j];
      if (r !== 0) return r;
    }
    return 0;
  });
  const rank = new Int32Array(first.length);
  order.forEach((g, r) => { rank[g] = r; });
  const groupOf = raw.map((g) => (g < 0 ? -1 : rank[g]));
  const firstRows = Int32Array.from(order, (g) => first[g]);
  const keys = keyCols.map((c): Column => c.kind === "string"
    ? { ...c, codes: Int32Array.from(firstRows, (i) => c.codes[i]) }
    : { ...c, values: new (c.values.constructor as Float64ArrayConstructor)(Array.from(firstRows, (i) => c.values[i])) } as NumberColumn);
  return { groupOf, count: first.length, keys, firstRow: firstRows };
}

/**
 * One aggregation of one column per group. Counts come back as int32; min, max, first and last
 * keep the column's type (strings and dates included); the rest are float64.
 */
export function aggregate(col: Column, name: string, how: Aggregation, groups: Groups): Column {
  const { groupOf, count: g } = groups;
  const n = groupOf.length;
  if (!AGGREGATIONS.includes(how)) throw new LeptonError("data:unknownAggregation", { how: String(how), known: AGGREGATIONS.join(", ") });
  if (ARITHMETIC.has(how) && (col.kind === "string" || col.dtype === "date")) {
    throw new LeptonError("data:aggregationNeedsNumbers", { how, column: name, dtype: col.dtype });
  }
  if (how === "size" || how === "count") {
    const out = new Int32Array(g);
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0 && (how === "size" || !isMissing(col, i))) out[groupOf[i]]++;
    return { kind: "number", dtype: "int32", values: out };
  }
  if (how === "nunique") {
    const seen = Array.from({ length: g }, () => new Set<number>());
    for (let i = 0; i < n; i++) {
      if (groupOf[i] < 0 || isMissing(col, i)) continue;
      seen[groupOf[i]].add(col.kind === "string" ? col.codes[i] : col.values[i]);
    }
    return { kind: "number", dtype: "int32", values: Int32Array.from(seen, (s) => s.size) };
  }
  if (how === "first" || how === "last" || how === "min" || how === "max") return pick(col, how, groups);
  const v = (col as NumberColumn).values;
  const out = new Float64Array(g);
  if (how === "median") {
    const lists = Array.from({ length: g }, () => [] as number[]);
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0 && v[i] === v[i]) lists[groupOf[i]].push(v[i]);
    lists.forEach((l, k) => {
      l.sort((a, b) => a - b);
      const m = l.length >> 1;
      out[k] = l.length === 0 ? NaN : l.length % 2 ? l[m] : (l[m - 1] + l[m]) / 2;
    });
    return { kind: "number", dtype: "float64", values: out };
  }
  // sum, mean, std, var: Welford's update keeps the variance accurate for large offsets.
  const cnt = new Float64Array(g), mean = new Float64Array(g), m2 = new Float64Array(g), sum = new Float64Array(g);
  for (let i = 0; i < n; i++) {
    const k = groupOf[i], x = v[i];
    if (k < 0 || x !== x) continue;
    sum[k] += x;
    const c = ++cnt[k];
    const d = x - mean[k];
    mean[k] += d / c;
    m2[k] += d * (x - mean[k]);
  }
  for (let k = 0; k < g; k++) {
    out[k] = how === "sum" ? sum[k]
      : how === "mean" ? (cnt[k] ? mean[k] : NaN)
      : cnt[k] < 2 ? NaN
      : how === "var" ? m2[k] / (cnt[k] - 1) : Math.sqrt(m2[k] / (cnt[k] - 1));
  }
  return { kind: "number", dtype: "float64", values: out };
}

/** first / last / min / max: the row chosen per group, keeping the column's type. */
function pick(col: Column, how: "first" | "last" | "min" | "max", groups: Groups): Column {
  const { groupOf, count: g } = groups;
  const chosen = new Int32Array(g).fill(-1);
  const better = (i: number, j: number): boolean => {
    if (col.kind === "string") {
      const r = compareText(col.categories[col.codes[i]], col.categories[col.codes[j]]);
      return how === "min" ? r < 0 : r > 0;
    }
    return how === "min" ? col.values[i] < col.values[j] : col.values[i] > col.values[j];
  };
  for (let i = 0; i < groupOf.length; i++) {
    const k = groupOf[i];
    if (k < 0 || isMissing(col, i)) continue;
    const j = chosen[k];
    if (j < 0 || how === "last" || ((how === "min" || how === "max") && better(i, j))) chosen[k] = i;
  }
  if (col.kind === "string") return { ...col, codes: Int32Array.from(chosen, (i) => (i < 0 ? -1 : col.codes[i])) };
  // An int32 group without a value has nothing to hold NaN; such a result widens to float64.
  const empty = chosen.some((i) => i < 0);
  if (col.dtype === "int32" && empty) return { kind: "number", dtype: "float64", values: Float64Array.from(chosen, (i) => (i < 0 ? NaN : col.values[i])) };
  const values = new (col.values.constructor as Float64ArrayConstructor)(g);
  chosen.forEach((i, k) => { values[k] = i < 0 ? NaN : col.values[i]; });
  return { ...col, values } as NumberColumn;
}

/**
 * The columns of `valueCounts`: each value and its count (or proportion), most frequent first,
 * ties in order of first appearance (as pandas' value_counts); missing values last when kept.
 */
export function valueCountColumns(col: Column, name: string, length: number,
  options: { normalize?: boolean; dropMissing?: boolean }): { names: string[]; columns: Column[] } {
  const groups = groupRows([col], length);
  const counts = (aggregate(col, name, "size", groups) as NumberColumn).values as Int32Array;
  let missing = 0;
  for (const g of groups.groupOf) if (g < 0) missing++;
  const withMissing = options.dropMissing === false && missing > 0;
  const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || groups.firstRow[a] - groups.firstRow[b]);
  const key = groups.keys[0];
  const keyCol: Column = key.kind === "string"
    ? { ...key, codes: Int32Array.from([...order.map((g) => key.codes[g]), ...(withMissing ? [-1] : [])]) }
    // (int32 columns hold no missing values, so NaN only lands in float and date columns)
    : { ...key, values: (key.values.constructor as Float64ArrayConstructor).from([...order.map((g) => key.values[g]), ...(withMissing ? [NaN] : [])]) } as NumberColumn;
  const total = options.dropMissing === false ? length : length - missing;
  const raw = [...order.map((g) => counts[g]), ...(withMissing ? [missing] : [])];
  const countCol: Column = options.normalize
    ? { kind: "number", dtype: "float64", values: Float64Array.from(raw, (c) => c / total) }
    : { kind: "number", dtype: "int32", values: Int32Array.from(raw) };
  const countName = options.normalize ? "proportion" : "count";
  return { names: [name, countName === name ? `${countName}_` : countName], columns: [keyCol, countCol] };
}

/** What a `GroupBy` reads from its frame. */
export interface GroupSource {
  readonly columns: string[];
  readonly length: number;
  column(name: string): Column;
}

/** How each column is aggregated: one aggregation (the result keeps the column's name) or several (`name_how`). */
export type AggregationSpec = Record<string, Aggregation | Aggregation[]>;

/**
 * Rows grouped by the values of one or more columns; `agg` (or a shortcut such as `mean()`)
 * turns each group into one row. Made by `df.groupBy(...)`.
 *
 * @example
 * ```ts
 * df.groupBy("city").agg({ price: ["mean", "max"], id: "count" });
 * df.groupBy(["city", "year"]).mean();
 * ```
 */
export class GroupBy<F> {
  private groups: Groups | undefined;

  constructor(private readonly source: GroupSource, readonly by: string[],
    private readonly make: (names: string[], columns: Column[]) => F) {
    if (by.length === 0) throw new LeptonError("data:groupByNoKeys", {});
    for (const n of by) source.column(n);
  }

  private grouped(): Groups {
    this.groups ??= groupRows(this.by.map((n) => this.source.column(n)), this.source.length);
    return this.groups;
  }

  /** Number of groups (rows with a missing key belong to none). */
  get groupCount(): number {
    return this.grouped().count;
  }

  /**
   * One row per group: the key columns, then each requested aggregation.
   *
   * @example
   * ```ts
   * df.groupBy("label").agg({ age: "mean", income: ["median", "std"], name: "nunique" });
   * // columns: label, age, income_median, income_std, name
   * ```
   */
  agg(spec: AggregationSpec): F {
    const groups = this.grouped();
    const names = [...this.by];
    const cols = [...groups.keys];
    for (const [name, hows] of Object.entries(spec)) {
      const col = this.source.column(name);
      const list = Array.isArray(hows) ? hows : [hows];
      for (const how of list) {
        names.push(Array.isArray(hows) ? `${name}_${how}` : name);
        cols.push(aggregate(col, name, how, groups));
      }
    }
    return this.make(names, cols);
  }

  /** Rows per group (missing values included), as the column `size` (pandas' `size()`). */
  size(): F {
    const groups = this.grouped();
    const any = this.source.column(this.by[0]);
    return this.make([...this.by, "size"], [...groups.keys, aggregate(any, this.by[0], "size", groups)]);
  }

  /** One line: what is grouped and what to call next (a GroupBy holds no results of its own). */
  [DISPLAY](): MimeBundle {
    return { "text/plain": this[INSPECT]() };
  }

  [INSPECT](): string {
    return t("data:groupByLine", { by: this.by.join(", "), groups: formatNumber(this.groupCount), rows: formatNumber(this.source.length) });
  }

  /** Values present per group, for every other column. */
  count(): F { return this.all("count", false); }
  /** Sum of every number column per group. */
  sum(): F { return this.all("sum", true); }
  /** Mean of every number column per group. */
  mean(): F { return this.all("mean", true); }
  /** Median of every number column per group. */
  median(): F { return this.all("median", true); }
  /** Sample standard deviation (n - 1) of every number column per group. */
  std(): F { return this.all("std", true); }
  /** Smallest value of every other column per group. */
  min(): F { return this.all("min", false); }
  /** Largest value of every other column per group. */
  max(): F { return this.all("max", false); }

  /** One aggregation over every non-key column (number columns only when `numeric`, as pandas' numeric_only). */
  private all(how: Aggregation, numeric: boolean): F {
    const names = this.source.columns.filter((n) => {
      if (this.by.includes(n)) return false;
      const c = this.source.column(n);
      return !numeric || (c.kind === "number" && c.dtype !== "date");
    });
    return this.agg(Object.fromEntries(names.map((n) => [n, how])));
  }
}
