/**
 * Cleaning with a report: missing values dropped or filled per column, duplicate rows removed,
 * outliers clipped. Nothing changes silently: every change is counted in the report.
 */
import { formatNumber, LeptonError, t } from "../i18n/index";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import type { Column } from "./csv/columns";
import { DataFrame } from "./frame";
import { htmlTable, textTable } from "../runtime/tables";

/** What to do with a column's missing values. */
export type MissingStrategy = "drop" | "mean" | "median" | "mode" | "keep" | { value: number | string };

/** Options for {@link clean}. */
export interface CleanOptions {
  /** Per column (or "*" for every other column) strategy for missing values. Default: keep. */
  missing?: Record<string, MissingStrategy>;
  /** Remove repeated rows (all columns equal), keeping the first. Default false. */
  dropDuplicates?: boolean;
  /** Clip number columns: explicit [low, high] or `{ iqr: k }` (Tukey fences, k = 1.5 typical). */
  clip?: Record<string, [number, number] | { iqr: number }>;
}

/** One row of the report. */
export interface CleanAction { column: string; action: string; count: number; detail: string }

/** What {@link clean} changed; displays as a table. */
export class CleanReport {
  constructor(readonly rowsBefore: number, readonly rowsAfter: number, readonly actions: CleanAction[]) {}
  [DISPLAY](): MimeBundle {
    const caption = t("data:cleanCaption", { before: formatNumber(this.rowsBefore), after: formatNumber(this.rowsAfter) });
    const headers = [t("data:col.column"), t("data:col.action"), t("data:col.count"), t("data:col.detail")];
    const rows = this.actions.map((a) => [a.column, t(`data:action.${a.action}`), a.count, a.detail]);
    return { "text/plain": textTable(headers, rows, caption), "text/html": htmlTable(headers, rows, caption) };
  }
}

function isMissing(col: Column, i: number): boolean {
  return col.kind === "string" ? col.codes[i] < 0 : Number.isNaN(col.values[i]);
}

function quantile(sorted: Float64Array, p: number): number {
  const at = (sorted.length - 1) * p, lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Cleans a frame and reports every change (rows dropped, values filled, values clipped).
 *
 * @example
 * ```ts
 * const { frame, report } = lepton.data.clean(df, {
 *   missing: { age: "median", city: "mode", label: "drop" },
 *   dropDuplicates: true,
 *   clip: { income: { iqr: 1.5 } },
 * });
 * report;   // shows what changed
 * ```
 */
export function clean(df: DataFrame, options: CleanOptions = {}): { frame: DataFrame; report: CleanReport } {
  const actions: CleanAction[] = [];
  const strategies = options.missing ?? {};
  for (const name of Object.keys(strategies)) if (name !== "*") df.column(name);
  const strategyOf = (n: string): MissingStrategy => strategies[n] ?? strategies["*"] ?? "keep";
  // 1. drop rows with a missing value in a "drop" column
  const dropCols = df.columns.filter((n) => strategyOf(n) === "drop");
  let frame = df;
  if (dropCols.length > 0) {
    const keep: number[] = [];
    const perCol = new Map(dropCols.map((n) => [n, 0]));
    for (let i = 0; i < df.length; i++) {
      let ok = true;
      for (const n of dropCols) if (isMissing(df.column(n), i)) { perCol.set(n, perCol.get(n)! + 1); ok = false; }
      if (ok) keep.push(i);
    }
    for (const [n, c] of perCol) if (c > 0) actions.push({ column: n, action: "dropMissing", count: c, detail: "" });
    frame = df.take(keep);
  }
  // 2. fill
  for (const n of frame.columns) {
    const s = strategyOf(n);
    if (s === "drop" || s === "keep") continue;
    const col = frame.column(n);
    let missing = 0;
    for (let i = 0; i < frame.length; i++) if (isMissing(col, i)) missing++;
    if (missing === 0) continue;
    let fill: number | string;
    if (typeof s === "object") fill = s.value;
    else if (s === "mode") {
      const counts = new Map<number | string, number>();
      for (let i = 0; i < frame.length; i++) {
        if (isMissing(col, i)) continue;
        const v = col.kind === "string" ? col.categories[col.codes[i]] : col.values[i];
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      fill = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    } else {
      const num = frame.numeric(n);
      const present = Float64Array.from(num.values).filter((v) => !Number.isNaN(v)).sort();
      fill = s === "mean" ? present.reduce((a, b) => a + b, 0) / present.length : quantile(present, 0.5);
    }
    let filled: Column;
    if (col.kind === "string") {
      const fillText = String(fill);
      let code = col.categories.indexOf(fillText);
      const categories = code < 0 ? [...col.categories, fillText] : col.categories;
      if (code < 0) code = categories.length - 1;
      filled = { ...col, categories, codes: col.codes.map((c) => (c < 0 ? code : c)) };
    } else {
      if (typeof fill !== "number") throw new LeptonError("data:fillNotNumeric", { column: n, value: fill });
      const f = fill;
      filled = { ...col, values: (col.values as Float64Array).map((v) => (Number.isNaN(v) ? f : v)) };
    }
    frame = frame.withColumn(n, filled);
    actions.push({ column: n, action: "fill", count: missing, detail: `${typeof s === "object" ? "value" : s} = ${fill}` });
  }
  // 3. duplicates
  if (options.dropDuplicates) {
    const seen = new Set<string>();
    const keep: number[] = [];
    const cols = frame.columns.map((n) => frame.column(n));
    for (let i = 0; i < frame.length; i++) {
      const key = cols.map((c) => (c.kind === "string" ? `s${c.codes[i]}` : `n${c.values[i]}`)).join("\u0001");
      if (!seen.has(key)) { seen.add(key); keep.push(i); }
    }
    if (keep.length < frame.length) actions.push({ column: "*", action: "dropDuplicates", count: frame.length - keep.length, detail: "" });
    frame = frame.take(keep);
  }
  // 4. clip
  for (const [n, rule] of Object.entries(options.clip ?? {})) {
    const col = frame.numeric(n);
    let lo: number, hi: number;
    if (Array.isArray(rule)) [lo, hi] = rule;
    else {
      const sorted = Float64Array.from(col.values).filter((v) => !Number.isNaN(v)).sort();
      const q1 = quantile(sorted, 0.25), q3 = quantile(sorted, 0.75);
      lo = q1 - rule.iqr * (q3 - q1); hi = q3 + rule.iqr * (q3 - q1);
    }
    let clipped = 0;
    const values = (col.values as Float64Array).map((v) => {
      if (v < lo) { clipped++; return lo; }
      if (v > hi) { clipped++; return hi; }
      return v;
    });
    frame = frame.withColumn(n, { ...col, values });
    actions.push({ column: n, action: "clip", count: clipped, detail: `[${Number(lo.toPrecision(6))}, ${Number(hi.toPrecision(6))}]` });
  }
  return { frame, report: new CleanReport(df.length, frame.length, actions) };
}
