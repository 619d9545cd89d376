/**
 * Reading JSON tables: an array of row objects, an object of equal-length column arrays, or
 * JSON Lines (one object per line, `.jsonl` / `.ndjson`).
 */
import * as path from "node:path";
import { LeptonError } from "../i18n/index";
import { openFile } from "./csv/read";
import { DataFrame } from "./frame";

/** Turns parsed JSON into a frame, or says why it is not a table. */
export function frameFromJSON(value: unknown, source = "<json>"): DataFrame {
  if (Array.isArray(value) && value.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    return DataFrame.fromRecords(value as Record<string, unknown>[]);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const cols = value as Record<string, unknown>;
    const arrays = Object.values(cols);
    if (arrays.length > 0 && arrays.every((a) => Array.isArray(a))) {
      return DataFrame.fromColumns(cols as Record<string, (number | string | null)[]>);
    }
  }
  throw new LeptonError("data:jsonNotTable", { path: source });
}

/**
 * Reads a JSON or JSON Lines file into a DataFrame.
 *
 * @example
 * ```ts
 * const df = await lepton.data.readJSON("people.json");   // [{ "name": ..., "age": ... }, ...]
 * const logs = await lepton.data.readJSON("events.jsonl");
 * ```
 */
export async function readJSON(file: string): Promise<DataFrame> {
  const handle = await openFile(file);
  let text: string;
  try { text = await handle.readFile("utf8"); } finally { await handle.close(); }
  const full = path.resolve(file);
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    const rows: Record<string, unknown>[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === "") return;
      try { rows.push(JSON.parse(line) as Record<string, unknown>); }
      catch (e) { throw new LeptonError("data:jsonBadLine", { path: full, line: i + 1, reason: (e as Error).message }, { cause: e }); }
    });
    return frameFromJSON(rows, full);
  }
  let value: unknown;
  try { value = JSON.parse(text.replace(/^\uFEFF/, "")); }
  catch (e) { throw new LeptonError("data:jsonInvalid", { path: full, reason: (e as Error).message }, { cause: e }); }
  return frameFromJSON(value, full);
}
