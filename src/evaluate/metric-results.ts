/**
 * What training and objective functions report: a number or an object of numbers. One reader
 * turns both into `{metric: value}`, with a clear error for anything else.
 */
import { LeptonError } from "../i18n/index";

/** Metrics reported by one fold or trial. */
export type Metrics = Record<string, number>;

/** A number becomes `{score}`; an object must hold only numbers. */
export function readMetrics(value: unknown, fold: number | string): Metrics {
  if (typeof value === "number") return { score: value };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length && entries.every(([, v]) => typeof v === "number")) return Object.fromEntries(entries) as Metrics;
  }
  let got: string;
  try { got = JSON.stringify(value) ?? String(value); } catch { got = String(value); }
  throw new LeptonError("evaluate:badTrainResult", { fold, got: got.slice(0, 200) });
}

/** Mean and population standard deviation (ddof 0, as numpy's std) of each metric. */
export function meanAndStd(rows: Metrics[]): { mean: Metrics; std: Metrics } {
  const mean: Metrics = {}, std: Metrics = {};
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const key of keys) {
    const values = rows.map((r) => r[key]).filter((v) => typeof v === "number");
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    mean[key] = m;
    std[key] = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
  }
  return { mean, std };
}

/** Lower is better for losses and errors; higher for everything else. */
export function defaultMode(metric: string): "min" | "max" {
  return /loss|error|mse|mae|rmse|perplexity/i.test(metric) ? "min" : "max";
}
