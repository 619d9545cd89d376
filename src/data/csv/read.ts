/**
 * Reading CSV files and text into DataFrames: whole (`readCSV`, `parseCSV`) or as a stream of
 * row batches (`csvBatches`) for data larger than memory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";
import { DataFrame } from "../frame";
import { checkUtf8, transcoderFor, type Transcoder } from "./encoding";
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
 * batch waiting (see `CsvParser.pauseAt`). Bytes reach the parser as UTF-8: checked, or
 * transcoded from the file's `encoding`.
 */
async function* pump(file: string, parser: CsvParser, encoding?: string): AsyncGenerator<void> {
  const handle = await openFile(file);
  try {
    const raw = Buffer.allocUnsafe(CHUNK);
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let transcoder: Transcoder | undefined;
    let first = true;
    for (;;) {
      const { bytesRead } = await handle.read(raw, 0, raw.length, null);
      const final = bytesRead === 0;
      let bytes = raw.subarray(0, bytesRead);
      if (first) { transcoder = transcoderFor(encoding, bytes); first = false; }
      if (transcoder) bytes = transcoder.push(bytes, final);
      if (carry + bytes.length > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, carry + bytes.length));
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      bytes.copy(buf, carry);
      const end = carry + bytes.length;
      if (!transcoder) checkUtf8(buf.subarray(0, end), final, parser.report.path, (at) => parser.lineNumber + countLines(buf, at));
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

function countLines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
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
  for await (const _ of pump(file, parser, options.encoding)) { /* no batches: parse to the end */ }
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
  let bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  if (typeof text !== "string") {
    const transcoder = transcoderFor(options.encoding, bytes);
    if (transcoder) bytes = transcoder.push(bytes, true);
    else checkUtf8(bytes, true, parser.report.path, (at) => 1 + countLines(bytes, at));
  }
  parser.parse(bytes, true);
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
  for await (const _ of pump(file, parser, options.encoding)) yield new DataFrame(parser.names, parser.takeColumns());
  if (parser.pending > 0) yield new DataFrame(parser.names, parser.takeColumns());
}
