/**
 * Parses decimal numbers straight from UTF-8 bytes, without creating a string per field: the
 * CSV loader's hot path. Exact (correctly rounded) when the digits fit in 2^53 and the decimal
 * exponent is within +-22 (Clinger's fast path); anything else falls back to `Number()`.
 */

/** Sentinel for "this field is not a plain number": the caller decides (missing marker, string). */
export const NOT_A_NUMBER = Symbol("notANumber");

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** `integer`: whether the last {@link parseNumberBytes} call saw an integer (no '.', no exponent). */
export const parseState = { integer: false };

/**
 * The number in `buf[start, end)`, surrounding spaces allowed; NaN for an empty field;
 * {@link NOT_A_NUMBER} when the bytes are not a decimal number.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number | typeof NOT_A_NUMBER {
  while (start < end && buf[start] === 0x20) start++;
  while (end > start && buf[end - 1] === 0x20) end--;
  if (start === end) { parseState.integer = false; return NaN; }
  let i = start;
  let negative = false;
  const first = buf[i];
  if (first === 0x2d) { negative = true; i++; } else if (first === 0x2b) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  let c = 0;
  // leading zeros do not count towards the 15 significant digits
  while (i < end && buf[i] === 0x30) { i++; sawDigit = true; }
  while (i < end && (c = buf[i] - 0x30) >= 0 && c <= 9) { mantissa = mantissa * 10 + c; digits++; i++; sawDigit = true; }
  let integer = true;
  if (i < end && buf[i] === 0x2e) {
    integer = false;
    i++;
    if (digits === 0) while (i < end && buf[i] === 0x30) { i++; scale--; sawDigit = true; }
    while (i < end && (c = buf[i] - 0x30) >= 0 && c <= 9) { mantissa = mantissa * 10 + c; digits++; scale--; i++; sawDigit = true; }
  }
  if (!sawDigit) return slowPath(buf, start, end);
  if (i < end && (buf[i] | 0x20) === 0x65) {
    integer = false;
    i++;
    let expNegative = false;
    if (buf[i] === 0x2d) { expNegative = true; i++; } else if (buf[i] === 0x2b) i++;
    let exp = 0;
    const expStart = i;
    while (i < end && (c = buf[i] - 0x30) >= 0 && c <= 9) { exp = exp * 10 + c; i++; }
    if (i === expStart) return NOT_A_NUMBER;
    scale += expNegative ? -exp : exp;
  }
  if (i !== end) return slowPath(buf, start, end);
  parseState.integer = integer;
  if (digits > 15 || scale > 22 || scale < -22) return slowPath(buf, start, end);
  const value = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
  return negative ? -value : value;
}

/**
 * Text that `Number()` reads but the fast path does not ("Infinity", "0x1F" is refused), and the
 * infinities as pandas and NumPy write them ("inf", "-inf", any case).
 */
function slowPath(buf: Uint8Array, start: number, end: number): number | typeof NOT_A_NUMBER {
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
  const inf = infinityFromText(text);
  if (inf !== undefined) { parseState.integer = false; return inf; }
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Infinity)$/.test(text)) return NOT_A_NUMBER;
  parseState.integer = /^[+-]?\d+$/.test(text);
  return Number(text);
}

/** The infinities as pandas and NumPy write them ("inf", "-inf", "Infinity", any case). */
function infinityFromText(text: string): number | undefined {
  const m = /^([+-]?)inf(inity)?$/i.exec(text);
  return m ? (m[1] === "-" ? -Infinity : Infinity) : undefined;
}

/** `Number()`, plus those infinities (for texts already decoded: type inference, string fallbacks). */
export function numberFromText(text: string): number {
  const v = Number(text);
  return Number.isNaN(v) ? (infinityFromText(text) ?? NaN) : v;
}
