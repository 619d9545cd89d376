/**
 * Column storage of a table (typed arrays, strings dictionary-coded) and the builders that grow
 * columns while a file is parsed, including type inference and promotion.
 */
import { LeptonError } from "../../i18n/index";
import { NOT_A_NUMBER, numberFromText, parseNumberBytes, parseState } from "./number-bytes";

/** Column types. `date` holds milliseconds since the epoch (NaN when missing). */
export type Dtype = "float64" | "float32" | "int32" | "string" | "date";
export const DTYPES: readonly Dtype[] = ["float64", "float32", "int32", "string", "date"];

/** A numeric column; missing values are NaN (int32 columns have none). */
export interface NumberColumn {
  kind: "number";
  dtype: "float64" | "float32" | "int32" | "date";
  values: Float64Array | Float32Array | Int32Array;
}

/** A string column, dictionary-coded: `categories[codes[i]]`, code -1 for missing. */
export interface StringColumn {
  kind: "string";
  dtype: "string";
  codes: Int32Array;
  categories: string[];
}

export type Column = NumberColumn | StringColumn;

/** Field texts read as missing (as pandas does by default). */
export const DEFAULT_MISSING = ["", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "null", "NULL", "None", "#N/A", "<NA>"];

/** Where the parser is, so errors can name the file, line and row. */
export interface ParseContext {
  path: string;
  line: number;
  row: number;
  missing: Set<string>;
}

/** Grows one column while rows arrive; returns a replacement builder when the type must widen. */
export interface ColumnBuilder {
  readonly dtype: Dtype;
  readonly length: number;
  addBytes(buf: Buffer, start: number, end: number, escaped: boolean, ctx: ParseContext): ColumnBuilder;
  addText(text: string, ctx: ParseContext): ColumnBuilder;
  finish(): Column;
  /**
   * Starts a new batch: fresh storage (columns already finished stay valid), same type, and a
   * string column keeps its dictionary so codes agree across batches.
   */
  reset(): void;
}

/** Decodes a field's bytes; `escaped` fields had doubled quotes inside. */
export function fieldText(buf: Buffer, start: number, end: number, escaped: boolean): string {
  const text = buf.toString("utf8", start, end);
  return escaped ? text.replace(/""/g, '"') : text;
}

function grow<T extends Float64Array | Float32Array | Int32Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  const next = new (arr.constructor as new (n: number) => T)(Math.max(need, arr.length * 2, 1024));
  next.set(arr);
  return next;
}

class FloatBuilder implements ColumnBuilder {
  values: Float64Array | Float32Array;
  length = 0;
  constructor(readonly dtype: "float64" | "float32", readonly name: string, readonly declared: boolean, capacity = 1024) {
    this.values = dtype === "float64" ? new Float64Array(capacity) : new Float32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.values.length) this.values = grow(this.values, this.length + 1);
    this.values[this.length++] = v;
  }
  addBytes(buf: Buffer, start: number, end: number, escaped: boolean, ctx: ParseContext): ColumnBuilder {
    const v = escaped ? NOT_A_NUMBER : parseNumberBytes(buf, start, end);
    if (v !== NOT_A_NUMBER) { this.push(v); return this; }
    return this.addText(fieldText(buf, start, end, escaped), ctx);
  }
  addText(text: string, ctx: ParseContext): ColumnBuilder {
    const trimmed = text.trim();
    if (ctx.missing.has(trimmed)) { this.push(NaN); return this; }
    const v = numberFromText(trimmed);
    if (trimmed !== "" && !Number.isNaN(v)) { this.push(v); return this; }
    if (this.declared) throw new LeptonError("data:notNumeric", { column: this.name, row: ctx.row, line: ctx.line, value: text, path: ctx.path });
    return toStrings(this, this.name, Array.from(this.values.subarray(0, this.length), (x) => (Number.isNaN(x) ? undefined : String(x)))).addText(text, ctx);
  }
  finish(): Column { return { kind: "number", dtype: this.dtype, values: this.values.subarray(0, this.length) }; }
  reset(): void { this.values = new (this.values.constructor as Float64ArrayConstructor)(this.values.length); this.length = 0; }
}

class IntBuilder implements ColumnBuilder {
  readonly dtype = "int32";
  values = new Int32Array(1024);
  length = 0;
  constructor(readonly name: string, readonly declared: boolean, readonly floatDtype: "float64" | "float32") {}
  addBytes(buf: Buffer, start: number, end: number, escaped: boolean, ctx: ParseContext): ColumnBuilder {
    const v = escaped ? NOT_A_NUMBER : parseNumberBytes(buf, start, end);
    if (v !== NOT_A_NUMBER && parseState.integer && v === (v | 0)) {
      if (this.length === this.values.length) this.values = grow(this.values, this.length + 1);
      this.values[this.length++] = v;
      return this;
    }
    return this.addText(fieldText(buf, start, end, escaped), ctx);
  }
  addText(text: string, ctx: ParseContext): ColumnBuilder {
    const trimmed = text.trim();
    const v = Number(trimmed);
    if (/^[+-]?\d+$/.test(trimmed) && v === (v | 0)) {
      if (this.length === this.values.length) this.values = grow(this.values, this.length + 1);
      this.values[this.length++] = v;
      return this;
    }
    if (this.declared) {
      const code = ctx.missing.has(trimmed) ? "data:intMissing" : "data:notNumeric";
      throw new LeptonError(code, { column: this.name, row: ctx.row, line: ctx.line, value: text, path: ctx.path });
    }
    // A fraction, a missing value or a large number: widen to floats (pandas does the same).
    const f = new FloatBuilder(this.floatDtype, this.name, false, Math.max(1024, this.length * 2));
    f.values.set(this.values.subarray(0, this.length));
    f.length = this.length;
    return f.addText(text, ctx);
  }
  finish(): Column { return { kind: "number", dtype: "int32", values: this.values.subarray(0, this.length) }; }
  reset(): void { this.values = new Int32Array(this.values.length); this.length = 0; }
}

class DateBuilder implements ColumnBuilder {
  readonly dtype = "date";
  values = new Float64Array(1024);
  length = 0;
  constructor(readonly name: string, readonly declared: boolean) {}
  addBytes(buf: Buffer, start: number, end: number, escaped: boolean, ctx: ParseContext): ColumnBuilder {
    return this.addText(fieldText(buf, start, end, escaped), ctx);
  }
  addText(text: string, ctx: ParseContext): ColumnBuilder {
    const trimmed = text.trim();
    const v = ctx.missing.has(trimmed) ? NaN : Date.parse(trimmed);
    if (Number.isNaN(v) && !ctx.missing.has(trimmed)) {
      if (this.declared) throw new LeptonError("data:notDate", { column: this.name, row: ctx.row, line: ctx.line, value: text, path: ctx.path });
      return toStrings(this, this.name, Array.from(this.values.subarray(0, this.length), (x) => (Number.isNaN(x) ? undefined : new Date(x).toISOString()))).addText(text, ctx);
    }
    if (this.length === this.values.length) this.values = grow(this.values, this.length + 1);
    this.values[this.length++] = v;
    return this;
  }
  finish(): Column { return { kind: "number", dtype: "date", values: this.values.subarray(0, this.length) }; }
  reset(): void { this.values = new Float64Array(this.values.length); this.length = 0; }
}

class StringBuilder implements ColumnBuilder {
  readonly dtype = "string";
  codes = new Int32Array(1024);
  length = 0;
  readonly lookup = new Map<string, number>();
  readonly categories: string[] = [];
  addBytes(buf: Buffer, start: number, end: number, escaped: boolean, ctx: ParseContext): ColumnBuilder {
    return this.addText(fieldText(buf, start, end, escaped), ctx);
  }
  addText(text: string, ctx: ParseContext): ColumnBuilder {
    let code = -1;
    if (!ctx.missing.has(text)) {
      const known = this.lookup.get(text);
      if (known !== undefined) code = known;
      else { code = this.categories.length; this.categories.push(text); this.lookup.set(text, code); }
    }
    if (this.length === this.codes.length) this.codes = grow(this.codes, this.length + 1);
    this.codes[this.length++] = code;
    return this;
  }
  finish(): Column {
    return { kind: "string", dtype: "string", codes: this.codes.subarray(0, this.length), categories: this.categories.slice() };
  }
  reset(): void { this.codes = new Int32Array(this.codes.length); this.length = 0; }
}

function toStrings(from: ColumnBuilder, _name: string, previous: (string | undefined)[]): StringBuilder {
  const s = new StringBuilder();
  const ctx: ParseContext = { path: "", line: 0, row: 0, missing: new Set() };
  for (const p of previous) {
    if (p === undefined) {
      if (s.length === s.codes.length) s.codes = grow(s.codes, s.length + 1);
      s.codes[s.length++] = -1;
    } else s.addText(p, ctx);
  }
  void from;
  return s;
}

/** A builder for a declared or inferred dtype. */
export function makeBuilder(dtype: Dtype, name: string, declared: boolean, floatDtype: "float64" | "float32" = "float64"): ColumnBuilder {
  switch (dtype) {
    case "float64": case "float32": return new FloatBuilder(dtype, name, declared);
    case "int32": return new IntBuilder(name, declared, floatDtype);
    case "date": return new DateBuilder(name, declared);
    case "string": return new StringBuilder();
    default: throw new LeptonError("data:badDtype", { dtype, column: name });
  }
}

const INT = /^[+-]?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Infers a column's dtype from sample texts (the first rows of a file). */
export function inferDtype(samples: string[], missing: Set<string>, floatDtype: "float64" | "float32" = "float64"): Dtype {
  const present = samples.map((s) => s.trim()).filter((s) => !missing.has(s));
  if (present.length === 0) return floatDtype;
  if (present.every((s) => INT.test(s) && Number(s) === (Number(s) | 0))) {
    return present.length === samples.length ? "int32" : floatDtype;
  }
  if (present.every((s) => !Number.isNaN(numberFromText(s)))) return floatDtype;
  if (present.every((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)))) return "date";
  return "string";
}
