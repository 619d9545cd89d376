/**
 * Row selection and order for `DataFrame` (filter, sortBy, unique): index arithmetic on the
 * columns' typed arrays, so a frame of a million rows is sorted without building row objects.
 */
import { LeptonError } from "../i18n/index";
import type { Column } from "./csv/columns";

/** Compares strings by Unicode code point (as Python and pandas do), not by UTF-16 unit. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!, y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}

/** Whether row `i` of a column is missing (NaN, or string code -1). */
export function isMissing(col: Column, i: number): boolean {
  return col.kind === "string" ? col.codes[i] < 0 : Number.isNaN(col.values[i]);
}

/**
 * A column's sort key as two unsigned 32-bit halves whose unsigned order is the wanted order:
 * IEEE-754 bits with the sign flipped (negatives inverted), all bits inverted when descending,
 * and missing values all ones, so they come last whatever the direction (pandas'
 * `na_position="last"`). Strings sort by their categories' code-point ranks.
 */
function sortKey(col: Column, descending: boolean, length: number): { hi: Uint32Array; lo: Uint32Array | undefined } {
  const hi = new Uint32Array(length);
  if (col.kind === "string") {
    const order = col.categories.map((_, k) => k).sort((a, b) => compareText(col.categories[a], col.categories[b]));
    const rank = new Uint32Array(col.categories.length);
    order.forEach((c, r) => { rank[c] = descending ? col.categories.length - 1 - r : r; });
    for (let i = 0; i < length; i++) hi[i] = col.codes[i] < 0 ? 0xffffffff : rank[col.codes[i]];
    return { hi, lo: undefined };
  }
  const lo = new Uint32Array(length);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer); // little-endian: u[0] low half, u[1] high half
  const flip = descending ? 0xffffffff : 0;
  const v = col.values;
  for (let i = 0; i < length; i++) {
    const x = v[i];
    if (x !== x) { hi[i] = 0xffffffff; lo[i] = 0xffffffff; continue; }
    f[0] = x === 0 ? 0 : x; // -0 and 0 are equal, as in pandas
    let h = u[1], l = u[0];
    if (h & 0x80000000) { h = ~h; l = ~l; } else h |= 0x80000000;
    hi[i] = (h ^ flip) >>> 0;
    lo[i] = (l ^ flip) >>> 0;
  }
  return { hi, lo };
}

/** One stable counting-sort pass of `order` by a 16-bit digit of `key` (skipped when all agree). */
function radixPass(order: Int32Array, tmp: Int32Array, key: Uint32Array, shift: number): void {
  const count = new Int32Array(65537);
  for (let i = 0; i < order.length; i++) count[((key[order[i]] >>> shift) & 0xffff) + 1]++;
  if (count.some((c) => c === order.length)) return;
  for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    tmp[count[(key[r] >>> shift) & 0xffff]++] = r;
  }
  order.set(tmp);
}

/**
 * Row order sorting by several columns in turn; stable (equal rows keep their order). An LSD
 * radix sort on each column's key, last column first: linear in the rows, where a comparison
 * sort through closures took about 1 s for a million rows (measured in `npm run bench:data`).
 */
export function sortedOrder(cols: Column[], descending: boolean[], length: number): Int32Array {
  const order = Int32Array.from({ length }, (_, i) => i);
  const tmp = new Int32Array(length);
  for (let k = cols.length - 1; k >= 0; k--) {
    const { hi, lo } = sortKey(cols[k], descending[k], length);
    if (lo) { radixPass(order, tmp, lo, 0); radixPass(order, tmp, lo, 16); }
    radixPass(order, tmp, hi, 0);
    radixPass(order, tmp, hi, 16);
  }
  return order;
}

/** The indices where `mask` is true; its length must be the frame's. */
export function maskIndices(mask: ArrayLike<boolean | number>, length: number): Int32Array {
  if (mask.length !== length) throw new LeptonError("data:maskLength", { expected: length, actual: mask.length });
  const out: number[] = [];
  for (let i = 0; i < length; i++) if (mask[i]) out.push(i);
  return Int32Array.from(out);
}
