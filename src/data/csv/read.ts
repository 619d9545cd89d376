/**
 * Reading CSV files and text into DataFrames: whole (`readCSV`, `parseCSV`) or as a stream of
 * row batches (`csvBatches`) for data larger than memory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";
import { DataFrame } from "../frame";
import { CsvParser, type CsvOptions, type CsvReport } from "./parser";

const CHUNK = 8 * 1024 * 1024;

/** A DataFrame read from CSV, with the parser's report (skipped and blank lines). */
export type CsvFrame = DataFrame & { readonly csvReport: CsvReport };

function withReport(df: DataFrame, report: CsvReport): CsvFrame {
  Object.defineProperty(df, "csvReport", { value: { ...report, skippedLines: report.skippedLines.slice() }, enumerable: false });
  return df as CsvFrame;
}

/** Opens a file, naming its absolute path when it is missing. */
export async function openFile(file: string): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new LeptonError("data:fileNotFound", { path: path.resolve(file) }, { cause: e });
    throw e;
  }
}

/**
 * Reads `file` chunk by chunk into `parser`, yielding whenever the parser pauses with a full
 * batch waiting (see `CsvParser.pauseAt`).
 */
async function* pump(file: string, parser: CsvParser): AsyncGenerator<void> {
  const handle = await openFile(file);
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    for (;;) {
      if (carry === buf.length) { const bigger = Buffer.allocUnsafe(buf.length * 2); buf.copy(bigger, 0, 0, carry); buf = bigger; }
      const { bytesRead } = await handle.read(buf, carry, buf.length - carry, null);
      const end = carry + bytesRead;
      const final = bytesRead === 0;
      let offset = 0;
      for (;;) {
        offset += parser.parse(buf.subarray(offset, end), final);
        if (parser.pending < parser.pauseAt || parser.done) break;
        yield;
      }
      if (final || parser.done) break;
      // an incomplete last record moves to the front of the buffer
      carry = end - offset;
      if (carry > 0) buf.copy(buf, 0, offset, end);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads a CSV file into a DataFrame with our streaming parser: column types are inferred from
 * the first rows (override with `dtypes`), quotes, CRLF and a BOM are handled, and errors name
 * the file and line.
 *
 * @example
 * ```ts
 * const df = await lepton.data.readCSV("data/train.csv", { dtypes: { zip: "string" } });
 * const x = df.toTensor(["age", "income"]);
 * // a file with a line before its header (scikit-learn's CSVs start with a count line)
 * const cancer = await lepton.data.readCSV("datasets/uci/breast_cancer.csv", { skipLines: 1, header: false });
 * ```
 */
export async function readCSV(file: string, options: CsvOptions = {}): Promise<CsvFrame> {
  const parser = new CsvParser(path.resolve(file), options);
  for await (const _ of pump(file, parser)) { /* no batches: parse to the end */ }
  const cols = parser.takeColumns();
  return withReport(new DataFrame(parser.names, cols), parser.report);
}

/**
 * Parses CSV text (or bytes) already in memory.
 *
 * @example
 * ```ts
 * const df = lepton.data.parseCSV("a,b\n1,x\n2,y\n");
 * ```
 */
export function parseCSV(text: string | Buffer, options: CsvOptions & { source?: string } = {}): CsvFrame {
  const parser = new CsvParser(options.source ?? "<text>", options);
  parser.parse(typeof text === "string" ? Buffer.from(text, "utf8") : text, true);
  const cols = parser.takeColumns();
  return withReport(new DataFrame(parser.names, cols), parser.report);
}

/**
 * Streams a CSV file as DataFrames of `batchRows` rows (the last may be shorter), so files larger
 * than memory can be processed or trained on. Column types are fixed by the first rows; string
 * columns keep one dictionary, so their codes agree across batches.
 *
 * @example
 * ```ts
 * for await (const batch of lepton.data.csvBatches("big.csv", { batchRows: 50_000 })) {
 *   const x = batch.toTensor(features); ...
 * }
 * ```
 */
export async function* csvBatches(file: string, options: CsvOptions & { batchRows?: number } = {}): AsyncGenerator<DataFrame> {
  const batchRows = options.batchRows ?? 65536;
  const parser = new CsvParser(path.resolve(file), { ...options, inferRows: Math.min(options.inferRows ?? 1000, batchRows) });
  parser.pauseAt = batchRows;
  for await (const _ of pump(file, parser)) yield new DataFrame(parser.names, parser.takeColumns());
  if (parser.pending > 0) yield new DataFrame(parser.names, parser.takeColumns());
}
