/**
 * A streaming CSV parser over bytes (RFC 4180: quoted fields with doubled quotes, delimiters and
 * newlines inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark). Chunks are pushed as
 * they are read; fields go straight into typed column builders, so a large file never becomes
 * one string per field.
 */
import { LeptonError } from "../../i18n/index";
import { type Column, type ColumnBuilder, DEFAULT_MISSING, type Dtype, fieldText, inferDtype, makeBuilder, type ParseContext } from "./columns";

/** Options for reading CSV. */
export interface CsvOptions {
  /** Field separator (one byte). Default ",". */
  delimiter?: string;
  /** Whether the first line names the columns. Default true. */
  header?: boolean;
  /**
   * Lines to leave out before the header (or before the data when `header` is false): a title,
   * a licence line, or the count line scikit-learn puts first in its CSV files. Default 0.
   */
  skipLines?: number;
  /**
   * The file's text encoding when it is not UTF-8: "gbk" or "gb18030" (Chinese Excel exports),
   * "big5", "shift_jis", "euc-kr", "latin1", "windows-1252", "utf-16le", ... UTF-16 with a
   * byte-order mark is recognised without it. A file that is not valid UTF-8 and names no
   * encoding is refused rather than read with replacement characters.
   */
  encoding?: string;
  /** Column names (required when `header` is false; renames when it is true). */
  names?: string[];
  /** Column types by name, overriding inference: float64, float32, int32, string, date. */
  dtypes?: Record<string, Dtype>;
  /** Float type for inferred number columns. Default "float64" (as pandas). */
  floatDtype?: "float64" | "float32";
  /** Field texts read as missing. Default: "", NA, N/A, NaN, null, None, ... */
  missing?: string[];
  /** What to do with a line that has the wrong number of fields. Default "error". */
  onBadLine?: "error" | "skip";
  /** Rows used to infer column types. Default 1000. */
  inferRows?: number;
  /** Read at most this many rows. */
  nRows?: number;
}

/** What the parser noticed that is not in the data itself. */
export interface CsvReport {
  path: string;
  rows: number;
  /** Lines left out because of `onBadLine: "skip"`: their line numbers (first 100) and count. */
  skippedLines: number[];
  skippedCount: number;
  blankLines: number;
}

const QUOTE = 0x22, LF = 0x0a, CR = 0x0d;

/** Options that would otherwise fail far from their cause (or silently read nothing). */
function checkOptions(o: CsvOptions): void {
  const count = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new LeptonError("data:csvBadCount", { option: name, min, value: String(v) });
  };
  count("skipLines", o.skipLines, 0);
  count("nRows", o.nRows, 0);
  count("inferRows", o.inferRows, 1);
  if (o.delimiter !== undefined && (o.delimiter.length !== 1 || o.delimiter.charCodeAt(0) > 0x7f || '"\r\n'.includes(o.delimiter))) {
    throw new LeptonError("data:csvBadDelimiter", { value: JSON.stringify(o.delimiter) });
  }
}

export class CsvParser {
  names: string[] = [];
  builders: ColumnBuilder[] = [];
  rows = 0;
  done = false;
  /** `parse` returns early once this many rows wait in the builders (for batch streaming). */
  pauseAt = Infinity;
  readonly report: CsvReport;
  private readonly ctx: ParseContext;
  private readonly delim: number;
  private headerPending: boolean;
  private samples: string[][] | undefined = [];
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  private line = 1;
  private atStart = true;
  private toSkip: number;
  /** Line the header came from (0: names given or no header). */
  private headerLine = 0;

  constructor(path: string, private readonly options: CsvOptions = {}) {
    checkOptions(options);
    this.toSkip = options.skipLines ?? 0;
    this.delim = (options.delimiter ?? ",").charCodeAt(0);
    this.headerPending = options.header !== false;
    if (!this.headerPending) this.names = dedupe(options.names ?? []);
    this.ctx = { path, line: 0, row: 0, missing: new Set(options.missing ?? DEFAULT_MISSING) };
    this.report = { path, rows: 0, skippedLines: [], skippedCount: 0, blankLines: 0 };
  }

  /** The line the next record starts on (1-based), for messages about the bytes ahead. */
  get lineNumber(): number {
    return this.line;
  }

  /**
   * Parses the complete records in `buf`; returns the offset where an incomplete record starts
   * (the caller carries those bytes into the next chunk). With `final`, everything is consumed.
   */
  parse(buf: Buffer, final: boolean): number {
    const n = buf.length;
    const delim = this.delim;
    let pos = 0;
    if (this.atStart) {
      if (n < 3 && !final) return 0;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      this.atStart = false;
    }
    while (pos < n && !this.done && this.pending < this.pauseAt) {
      const recordStart = pos;
      let nf = 0;
      let newlines = 0;
      let complete = false;
      for (;;) {
        if (nf === this.starts.length) this.growFields();
        if (pos >= n) {
          // only reached right after a delimiter: a trailing empty field
          if (!final) return recordStart;
          this.starts[nf] = pos; this.ends[nf] = pos; this.escaped[nf] = 0; nf++;
          complete = true;
          break;
        }
        if (buf[pos] === QUOTE) {
          const fieldStart = pos + 1;
          let q = fieldStart;
          let esc = 0;
          let close = -1;
          for (;;) {
            const k = buf.indexOf(QUOTE, q);
            if (k < 0) break;
            if (k + 1 >= n && !final) break;
            if (buf[k + 1] === QUOTE) { esc = 1; q = k + 2; continue; }
            close = k;
            break;
          }
          if (close < 0) {
            if (!final) return recordStart;
            throw new LeptonError("data:csvUnclosedQuote", { path: this.ctx.path, line: this.line });
          }
          for (let i = fieldStart; i < close; i++) if (buf[i] === LF) newlines++;
          this.starts[nf] = fieldStart; this.ends[nf] = close; this.escaped[nf] = esc; nf++;
          pos = close + 1;
          if (pos >= n) { if (!final) return recordStart; complete = true; break; }
          const c = buf[pos];
          if (c === delim) { pos++; continue; }
          if (c === LF) { pos++; complete = true; break; }
          if (c === CR) {
            if (pos + 1 >= n && !final) return recordStart;
            if (pos + 1 >= n || buf[pos + 1] === LF) { pos += 2; complete = true; break; }
          }
          throw new LeptonError("data:csvTextAfterQuote", { path: this.ctx.path, line: this.line + newlines });
        }
        const fieldStart = pos;
        let c = 0;
        while (pos < n && (c = buf[pos]) !== delim && c !== LF) pos++;
        if (pos >= n && !final) return recordStart;
        let fieldEnd = pos;
        if (fieldEnd > fieldStart && buf[fieldEnd - 1] === CR && (pos >= n || c === LF)) fieldEnd--;
        this.starts[nf] = fieldStart; this.ends[nf] = fieldEnd; this.escaped[nf] = 0; nf++;
        if (pos >= n) { complete = true; break; }
        pos++;
        if (c === LF) { complete = true; break; }
      }
      if (complete) this.record(buf, nf);
      this.line += 1 + newlines;
    }
    return Math.min(pos, n);
  }

  private growFields(): void {
    const size = this.starts.length * 2;
    const s = new Int32Array(size); s.set(this.starts); this.starts = s;
    const e = new Int32Array(size); e.set(this.ends); this.ends = e;
    const x = new Uint8Array(size); x.set(this.escaped); this.escaped = x;
  }

  private texts(buf: Buffer, nf: number): string[] {
    return Array.from({ length: nf }, (_, j) => fieldText(buf, this.starts[j], this.ends[j], this.escaped[j] === 1));
  }

  private record(buf: Buffer, nf: number): void {
    if (this.toSkip > 0) { this.toSkip--; return; }
    if (nf === 1 && this.starts[0] === this.ends[0] && this.escaped[0] === 0 && buf[this.starts[0] - 1] !== QUOTE) {
      this.report.blankLines++;
      return;
    }
    if (this.headerPending) {
      this.headerPending = false;
      const found = this.texts(buf, nf).map((s) => s.trim());
      this.names = dedupe(this.options.names ?? found);
      if (!this.options.names) this.headerLine = this.line;
      return;
    }
    if (this.names.length === 0) this.names = dedupe(Array.from({ length: nf }, (_, j) => `column_${j}`));
    if (nf !== this.names.length) {
      if (this.options.onBadLine === "skip") {
        this.report.skippedCount++;
        if (this.report.skippedLines.length < 100) this.report.skippedLines.push(this.line);
        return;
      }
      // Every line disagreeing with the header usually means the header is not on line 1.
      if (this.rows === 0 && this.headerLine > 0) {
        throw new LeptonError("data:csvHeaderFieldCount", { path: this.ctx.path, line: this.line, headerLine: this.headerLine, expected: this.names.length, actual: nf });
      }
      throw new LeptonError("data:csvFieldCount", { path: this.ctx.path, line: this.line, expected: this.names.length, actual: nf });
    }
    this.rows++;
    this.ctx.row = this.rows;
    this.ctx.line = this.line;
    if (this.samples) {
      this.samples.push(this.texts(buf, nf));
      if (this.samples.length >= (this.options.inferRows ?? 1000)) this.endInference();
    } else {
      const builders = this.builders;
      const starts = this.starts, ends = this.ends, escaped = this.escaped;
      for (let j = 0; j < nf; j++) {
        const b = builders[j];
        const next = b.addBytes(buf, starts[j], ends[j], escaped[j] === 1, this.ctx);
        if (next !== b) builders[j] = next;
      }
    }
    if (this.options.nRows !== undefined && this.rows >= this.options.nRows) this.done = true;
  }

  /** Chooses each column's type from the sampled rows, then replays them into builders. */
  private endInference(): void {
    const samples = this.samples!;
    this.samples = undefined;
    const declared = this.options.dtypes ?? {};
    for (const name of Object.keys(declared)) {
      if (!this.names.includes(name)) throw new LeptonError("data:unknownColumn", { column: name, columns: this.names.join(", ") });
    }
    const floatDtype = this.options.floatDtype ?? "float64";
    this.builders = this.names.map((name, j) => {
      const dtype = declared[name] ?? inferDtype(samples.map((r) => r[j]), this.ctx.missing, floatDtype);
      return makeBuilder(dtype, name, declared[name] !== undefined, floatDtype);
    });
    const firstRow = this.rows - samples.length;
    samples.forEach((r, i) => {
      this.ctx.row = firstRow + i + 1;
      r.forEach((text, j) => {
        const b = this.builders[j];
        const next = b.addText(text, this.ctx);
        if (next !== b) this.builders[j] = next;
      });
    });
  }

  /** The rows parsed since the last call, as columns (types fixed after the first batch). */
  takeColumns(): Column[] {
    if (this.samples) this.endInference();
    const cols = this.builders.map((b) => b.finish());
    for (const b of this.builders) b.reset();
    this.report.rows = this.rows;
    return cols;
  }

  /** Rows waiting in the builders (or in the inference sample). */
  get pending(): number {
    return this.samples ? this.samples.length : this.builders[0]?.length ?? 0;
  }
}

/** Makes column names unique the way pandas does ("a", "a.1", ...), naming empty ones. */
function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, j) => {
    const name = raw === "" ? `Unnamed: ${j}` : raw;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name}.${k}`;
  });
}
