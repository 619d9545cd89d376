/**
 * The hot path of `:predict`: a body that is exactly `{"instances": [[...numbers...]]}` or
 * `{"inputs": ...}` (with at most a `"signature_name"` beside it) is read straight from the request bytes into a Float32Array, without
 * building the nested JavaScript arrays `JSON.parse` would (under load, parsing and collecting
 * those arrays cost as much as the model). Anything else (objects, strings, other keys, escapes,
 * malformed text) gives `undefined`, and the caller takes the general `JSON.parse` path, which
 * also produces every error message: this reader never rejects a request itself.
 */

/** A numeric body: which field held it, its values (row-major) and its shape. */
export interface NumericBody {
  field: "instances" | "inputs";
  data: Float32Array;
  shape: number[];
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, LBRACKET = 0x5b, RBRACKET = 0x5d, LBRACE = 0x7b, RBRACE = 0x7d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39, LOWER_E = 0x65, UPPER_E = 0x45;

/** Exact powers of ten as doubles (10^0 .. 10^22 are exact). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const FIELDS = (["instances", "inputs", "signature_name"] as const).map((name) => ({ name, bytes: Buffer.from(`"${name}"`, "latin1") }));

/** The index of the first non-whitespace byte at or after `i` (a plain function: a closure over `i` would slow every access to it). */
function skipSpace(buf: Uint8Array, i: number): number {
  const end = buf.length;
  while (i < end) {
    const c = buf[i];
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return i;
    i++;
  }
  return i;
}

/** Deepest nesting read here (deeper bodies take the general path). */
const MAX_DEPTH = 32;
const SHAPE = new Int32Array(MAX_DEPTH);
const COUNTS = new Int32Array(MAX_DEPTH);

/** Reused output storage: grows to the largest body seen, copied out once per request. */
let scratch = new Float32Array(4096);

/**
 * Reads `{"instances": <numeric array>}` or `{"inputs": <numeric array>}` (any nesting,
 * rectangular, finite numbers; beside it at most a `"signature_name"` string, which TF Serving
 * clients often send and the general path ignores too) from raw bytes; `undefined` for anything else.
 *
 * @example
 * ```ts
 * readNumericBody(Buffer.from('{"instances": [[1, 2], [3, 4]]}'));
 * // { field: "instances", data: Float32Array [1, 2, 3, 4], shape: [2, 2] }
 * ```
 */
export function readNumericBody(buf: Uint8Array): NumericBody | undefined {
  const end = buf.length;
  let i = skipSpace(buf, 0);
  if (buf[i] !== LBRACE) return undefined;
  let body: NumericBody | undefined;
  let signature = false;
  for (;;) {
    i = skipSpace(buf, i + 1);
    const field = FIELDS.find((f) => f.bytes.every((b, k) => buf[i + k] === b));
    if (!field) return undefined;
    i = skipSpace(buf, i + field.bytes.length);
    if (buf[i] !== COLON) return undefined;
    i = skipSpace(buf, i + 1);
    if (field.name === "signature_name") {
      // A plain string: no escapes or control characters (else the general path reads it).
      if (signature || buf[i] !== QUOTE) return undefined;
      signature = true;
      i++;
      while (i < end && buf[i] !== QUOTE) {
        if (buf[i] === BACKSLASH || buf[i] < SPACE) return undefined;
        i++;
      }
      if (i >= end) return undefined;
      i++;
    } else {
      if (body) return undefined; // a second data field: JSON.parse would keep the last; let it
      const read = readArray(buf, i);
      if (!read) return undefined;
      body = { field: field.name, data: read.data, shape: read.shape };
      i = read.end;
    }
    i = skipSpace(buf, i);
    if (buf[i] === COMMA) continue;
    if (buf[i] !== RBRACE) return undefined;
    break;
  }
  i = skipSpace(buf, i + 1);
  return i === end ? body : undefined;
}

/** Reads a rectangular array of finite numbers starting at `buf[i]`; its values, shape and the index after it. */
function readArray(buf: Uint8Array, i: number): { data: Float32Array; shape: number[]; end: number } | undefined {
  const end = buf.length;
  if (buf[i] !== LBRACKET) return undefined;

  // Shape: the first array seen at each depth fixes that dimension; every later one must match.
  // (Typed arrays and the `<= SPACE` guards before skipSpace: this loop runs per number.)
  const shape = SHAPE.fill(-1);
  const counts = COUNTS;
  let depth = 0;
  let leafDepth = -1;
  let n = 0;
  let out = scratch;
  for (;;) {
    if (buf[i] <= SPACE) i = skipSpace(buf, i);
    if (i >= end) return undefined;
    const c = buf[i];
    if (c === LBRACKET) {
      if ((leafDepth >= 0 && depth >= leafDepth) || depth === MAX_DEPTH) return undefined;
      if (depth > 0) counts[depth - 1]++;
      counts[depth] = 0;
      depth++;
      i++;
      if (buf[i] <= SPACE) i = skipSpace(buf, i);
      if (buf[i] === RBRACKET) return undefined; // empty arrays: let the general path explain
      continue;
    }
    if (c === RBRACKET) {
      depth--;
      const count = counts[depth];
      if (shape[depth] < 0) shape[depth] = count;
      else if (shape[depth] !== count) return undefined;
      i++;
      if (depth === 0) break;
    } else {
      // A number: only at the deepest level, which the first number fixes.
      if (leafDepth < 0) leafDepth = depth;
      else if (depth !== leafDepth) return undefined;
      const start = i;
      let negative = false;
      if (c === MINUS) {
        negative = true;
        i++;
      }
      let mantissa = 0;
      let digits = 0;
      let exponent = 0;
      let d = buf[i];
      if (d === ZERO) {
        i++;
      } else if (d > ZERO && d <= NINE) {
        while (d >= ZERO && d <= NINE) {
          mantissa = mantissa * 10 + (d - ZERO);
          digits++;
          d = buf[++i];
        }
      } else return undefined;
      d = buf[i];
      if (d === DOT) {
        d = buf[++i];
        if (!(d >= ZERO && d <= NINE)) return undefined;
        while (d >= ZERO && d <= NINE) {
          mantissa = mantissa * 10 + (d - ZERO);
          digits++;
          exponent--;
          d = buf[++i];
        }
      }
      let slow = false;
      if (d === LOWER_E || d === UPPER_E) {
        d = buf[++i];
        let expNegative = false;
        if (d === MINUS || d === PLUS) {
          expNegative = d === MINUS;
          d = buf[++i];
        }
        if (!(d >= ZERO && d <= NINE)) return undefined;
        let e = 0;
        while (d >= ZERO && d <= NINE) {
          if (e < 100000) e = e * 10 + (d - ZERO);
          d = buf[++i];
        }
        exponent += expNegative ? -e : e;
      }
      // Clinger's fast path: an exact integer mantissa and an exact power of ten give the
      // correctly rounded double in one operation, the value JSON.parse gives; else parse the text.
      if (digits > 15 || exponent < -22 || exponent > 22) slow = true;
      let value = slow ? Number(Buffer.from(buf.buffer, buf.byteOffset + start, i - start).toString("latin1")) : exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
      if (!slow && negative) value = -value;
      if (!Number.isFinite(value)) return undefined;
      if (n === out.length) {
        const grown = new Float32Array(out.length * 2);
        grown.set(out);
        out = scratch = grown;
      }
      out[n++] = value;
      counts[depth - 1]++;
    }
    if (buf[i] <= SPACE) i = skipSpace(buf, i);
    const next = buf[i];
    if (next === COMMA) {
      i++;
      if (buf[i] <= SPACE) i = skipSpace(buf, i);
      if (buf[i] === RBRACKET) return undefined; // trailing comma
    } else if (next !== RBRACKET) return undefined;
  }
  if (leafDepth < 0) return undefined;
  const dims = Array.from(shape.subarray(0, leafDepth));
  if (dims.some((d) => d < 0)) return undefined;
  return { data: out.slice(0, n), shape: dims, end: i };
}
