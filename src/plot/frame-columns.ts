/**
 * Charts straight from a table, as plotly express does: with `data: df`, a string where numbers
 * are expected names a column. Only `columns` and `values(name)` are read, so the plot module
 * does not depend on the data module.
 */
import { LeptonError } from "../i18n/index";
import { toNumbers, type NumberLike } from "./values";

/** What a chart reads from a DataFrame. */
export interface ColumnSource {
  readonly columns: string[];
  values(name: string): unknown[];
}

/** A column's numbers (missing values become NaN, which plotly leaves out). */
export function columnNumbers(data: ColumnSource | undefined, name: string, what: string): number[] {
  const values = frameOf(data, name, what).values(name);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) out[i] = NaN;
    else if (typeof v === "number") out[i] = v;
    else if (v instanceof Date) out[i] = v.getTime();
    else throw new LeptonError("plot:columnNotNumbers", { what, column: name, value: String(v) });
  }
  return out;
}

/** A column's values as category labels (missing: an empty label). */
export function columnLabels(data: ColumnSource | undefined, name: string, what: string): (string | number)[] {
  return frameOf(data, name, what).values(name).map((v) => (v === null ? "" : v instanceof Date ? v.toISOString() : (v as string | number)));
}

/**
 * Values for an x axis: numbers, or, for a date column, ISO timestamps, which plotly draws as a
 * date axis (milliseconds since 1970 would read as large numbers).
 */
export function axisValuesOf(value: NumberLike | string, data: ColumnSource | undefined, what: string): number[] | string[] {
  if (typeof value === "string") {
    const cells = frameOf(data, value, what).values(value);
    if (cells.length && cells.every((v) => v === null || v instanceof Date) && cells.some((v) => v instanceof Date)) {
      return cells.map((v) => (v instanceof Date ? v.toISOString() : "")) as string[];
    }
  }
  return numbersOf(value, data, what);
}

/** Numbers given directly, or the named column's. */
export function numbersOf(value: NumberLike | string, data: ColumnSource | undefined, what: string): number[] {
  return typeof value === "string" ? columnNumbers(data, value, what) : toNumbers(value, what);
}

/**
 * Named series from a record of series, one series, or column names (each series named after
 * its column).
 */
export function seriesOf(value: Record<string, NumberLike> | NumberLike | string | string[], data: ColumnSource | undefined,
  what: string, named: (v: Record<string, NumberLike> | NumberLike) => [string, number[]][]): [string, number[]][] {
  if (typeof value === "string") return [[value, columnNumbers(data, value, what)]];
  // An array of strings names columns only beside a table; alone it is a mistake in the values.
  if (data && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) {
    return (value as string[]).map((c) => [c, columnNumbers(data, c, what)]);
  }
  return named(value as Record<string, NumberLike> | NumberLike);
}

/** Splits one sample into one per group value, in order of first appearance. */
export function splitByGroup(values: number[], groups: (string | number)[], what: string): [string, number[]][] {
  if (groups.length !== values.length) throw new LeptonError("plot:lengthMismatch", { name: what, got: groups.length, expected: values.length });
  const out = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const key = String(g);
    let list = out.get(key);
    if (!list) { list = []; out.set(key, list); }
    list.push(values[i]);
  });
  return [...out];
}

function frameOf(data: ColumnSource | undefined, name: string, what: string): ColumnSource {
  if (!data) throw new LeptonError("plot:columnWithoutData", { what, column: name });
  return data;
}
