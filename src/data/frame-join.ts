/**
 * Joining two tables on key columns (pandas' `merge`, SQL's join): a hash of the right table's
 * keys, then one pass over the left rows. Rows are ordered as pandas orders them: a left join in
 * the left table's order, an inner join grouped by key in the order keys first appear on the
 * left; each left row's matches in the right table's order.
 */
import { LeptonError } from "../i18n/index";
import type { Column, NumberColumn } from "./csv/columns";
import { isMissing } from "./frame-rows";

/** Options of `DataFrame.join`. */
export interface JoinOptions {
  /** The key column(s), present in both tables. */
  on: string | string[];
  /** "inner" keeps rows with a match on both sides; "left" keeps every left row. Default "inner". */
  how?: "inner" | "left";
  /** Added to the names of non-key columns present in both tables. Default ["_x", "_y"], as pandas. */
  suffixes?: [string, string];
}

/** What a join reads from each table. */
export interface JoinSide {
  readonly columns: string[];
  readonly length: number;
  column(name: string): Column;
}

/** The key of row `i` as text, or undefined when a key is missing (missing keys never match). */
function keyOf(cols: Column[], i: number): string | undefined {
  let key = "";
  for (const c of cols) {
    if (isMissing(c, i)) return undefined;
    key += (c.kind === "string" ? `s${c.categories[c.codes[i]]}` : `n${c.values[i] === 0 ? 0 : c.values[i]}`) + "\u0000";
  }
  return key;
}

/** Rows of `col` at `rows`; -1 is a missing value (a left row without a match). */
function takeOrMissing(col: Column, rows: Int32Array): Column {
  if (col.kind === "string") return { ...col, codes: Int32Array.from(rows, (r) => (r < 0 ? -1 : col.codes[r])) };
  const holesInInts = col.dtype === "int32" && rows.some((r) => r < 0);
  const Out = holesInInts ? Float64Array : (col.values.constructor as Float64ArrayConstructor);
  const values = Out.from(rows, (r) => (r < 0 ? NaN : col.values[r]));
  return { ...col, dtype: holesInInts ? "float64" : col.dtype, values } as NumberColumn;
}

/** The joined table's column names and columns. */
export function joinColumns(left: JoinSide, right: JoinSide, options: JoinOptions): { names: string[]; columns: Column[] } {
  const on = Array.isArray(options.on) ? options.on : [options.on];
  if (on.length === 0) throw new LeptonError("data:joinNoKeys", {});
  const how = options.how ?? "inner";
  if (how !== "inner" && how !== "left") throw new LeptonError("data:joinHow", { how: String(how) });
  const [sx, sy] = options.suffixes ?? ["_x", "_y"];
  const leftKeys = on.map((n) => left.column(n)), rightKeys = on.map((n) => right.column(n));
  on.forEach((n, j) => {
    if (leftKeys[j].kind !== rightKeys[j].kind) throw new LeptonError("data:joinKeyTypes", { column: n, left: leftKeys[j].dtype, right: rightKeys[j].dtype });
  });
  const index = new Map<string, number[]>();
  for (let r = 0; r < right.length; r++) {
    const k = keyOf(rightKeys, r);
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(r); else index.set(k, [r]);
  }
  let lrows: number[] = [], rrows: number[] = [];
  const rank: number[] = [];
  const keyRank = new Map<string, number>();
  for (let i = 0; i < left.length; i++) {
    const k = keyOf(leftKeys, i);
    const matches = k === undefined ? undefined : index.get(k);
    if (matches) {
      if (!keyRank.has(k!)) keyRank.set(k!, keyRank.size);
      for (const r of matches) { lrows.push(i); rrows.push(r); rank.push(keyRank.get(k!)!); }
    } else if (how === "left") { lrows.push(i); rrows.push(-1); rank.push(-1); }
  }
  if (how === "inner") {
    // pandas groups an inner join's rows by key, keys in the order they first appear on the left
    const order = rank.map((_, j) => j).sort((a, b) => rank[a] - rank[b] || a - b);
    lrows = order.map((j) => lrows[j]);
    rrows = order.map((j) => rrows[j]);
  }
  const L = Int32Array.from(lrows), R = Int32Array.from(rrows);
  const rightOnly = right.columns.filter((n) => !on.includes(n));
  const clash = new Set(left.columns.filter((n) => !on.includes(n) && rightOnly.includes(n)));
  const names = [
    ...left.columns.map((n) => (clash.has(n) ? n + sx : n)),
    ...rightOnly.map((n) => (clash.has(n) ? n + sy : n)),
  ];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new LeptonError("data:renameDuplicate", { column: dup });
  const columns = [...left.columns.map((n) => takeOrMissing(left.column(n), L)), ...rightOnly.map((n) => takeOrMissing(right.column(n), R))];
  return { names, columns };
}
