/**
 * Writing DataFrames as CSV (RFC 4180): what `readCSV` reads back to the same columns and values.
 * Files are written to a temporary name beside the target and renamed into place, so an error or
 * an interrupted kernel never leaves half a file where a good one was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";
import type { DataFrame } from "../frame";

/** Options for {@link toCSV} and {@link writeCSV}. */
export interface CsvWriteOptions {
  /** Field separator (one character). Default ",". */
  delimiter?: string;
  /** Write the column names first. Default true. */
  header?: boolean;
  /** Text written for a missing value. Default "" (which `readCSV` reads as missing). */
  missing?: string;
}

/** Quotes a field when it holds the delimiter, a quote, a line break or edge spaces. */
function field(text: string, delimiter: string): string {
  if (text.includes(delimiter) || /["\r\n]/.test(text) || (text !== text.trim() && text.length > 0)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function cellText(v: unknown, missing: string): string {
  if (v === null || v === undefined) return missing;
  if (v instanceof Date) return v.toISOString().replace("T00:00:00.000Z", "");
  return String(v); // numbers: the shortest text that reads back to the same double
}

/**
 * A frame as CSV text.
 *
 * @example
 * ```ts
 * lepton.data.toCSV(df.head(3));   // "a,b\n1,x\n2,y\n3,z\n"
 * ```
 */
export function toCSV(df: DataFrame, options: CsvWriteOptions = {}): string {
  const d = options.delimiter ?? ",";
  if (d.length !== 1 || '"\r\n'.includes(d)) throw new LeptonError("data:csvBadDelimiter", { value: JSON.stringify(d) });
  const missing = options.missing ?? "";
  const lines: string[] = [];
  if (options.header !== false) lines.push(df.columns.map((c) => field(c, d)).join(d));
  const cols = df.columns.map((c) => df.values(c));
  for (let i = 0; i < df.length; i++) lines.push(cols.map((col) => field(cellText(col[i], missing), d)).join(d));
  return lines.join("\n") + "\n";
}

/**
 * Writes a frame to a CSV file (folders are created; an existing file is replaced only once the
 * new one is complete). Returns the absolute path.
 *
 * @example
 * ```ts
 * await lepton.data.writeCSV(df.groupBy("city").mean(), "results/by-city.csv");
 * ```
 */
export async function writeCSV(df: DataFrame, file: string, options: CsvWriteOptions = {}): Promise<string> {
  const text = toCSV(df, options);
  const full = path.resolve(file);
  const tmp = `${full}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await fs.promises.writeFile(tmp, text, "utf8");
    await fs.promises.rename(tmp, full);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw new LeptonError("data:writeFailed", { path: full, reason: (e as Error).message }, { cause: e });
  }
  return full;
}
