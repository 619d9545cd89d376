/**
 * Post-training weight quantisation in the tfjs weights manifest's own `quantization` format
 * (`{dtype: "float16"}` and affine `{dtype: "uint8", scale, min}`), so that stock
 * `tf.loadLayersModel` dequantises on load and nothing special is needed to run the model.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Storage dtypes for weights. `float32` leaves them as they are. */
export type WeightDtype = "float32" | "float16" | "uint8";

/** Options of {@link quantizeWeightData}. */
export interface QuantizeOptions {
  /**
   * With uint8, tensors with fewer values are stored as float16 instead (tiny on disk, and a
   * coarse 8-bit grid hurts them most). Default 16.
   */
  minElements?: number;
  /**
   * With uint8, weights whose name matches stay float16: a batch-norm variance rounded to 0
   * divides by ~0. Default `/variance/i`.
   */
  keepFloat16?: RegExp;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half bits, round to nearest even, with subnormals, infinities and NaN. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m += 1;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m += 1;
    if (m === 0x400) {
      m = 0;
      e += 1;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** `x` rounded up to `digits` significant decimal digits. */
function ceilSignificant(x: number, digits: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - digits + 1);
  // Rounding through toPrecision keeps the decimal short once printed (no 0.30000000000000004).
  const up = Number((Math.ceil(x / unit - 1e-9) * unit).toPrecision(digits + 1));
  return up >= x ? up : Number((up + unit).toPrecision(digits + 1));
}

/**
 * Affine uint8 range as the tfjs converter computes it: the range always includes 0 and is
 * nudged so that 0 maps exactly onto a code (pruned zeros stay exactly zero). The scale is rounded
 * up to 5 significant digits, picked so that `min` prints short too: the manifest of a small model
 * is a good part of its size (20 fewer characters a tensor), and the grid moves by at most 1e-4.
 */
export function affineRange(min: number, max: number): { scale: number; min: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const exact = (hi - lo) / 255;
  if (!(exact > 0) || !Number.isFinite(exact)) return { scale: 1, min: 0 };
  let scale = ceilSignificant(exact, 5);
  for (let i = 0; i < 20; i++) {
    const zeroPoint = Math.round(-lo / scale);
    const offset = -zeroPoint * scale;
    // Short when the product is the double nearest its decimal value; dequantising zero then
    // gives zeroPoint * scale + offset = 0 exactly, as stock tfjs computes it.
    if (String(offset).length <= 12 || zeroPoint === 0) return { scale, min: offset === 0 ? 0 : offset };
    scale = Number((scale + 10 ** (Math.floor(Math.log10(scale)) - 4)).toPrecision(6));
  }
  const zeroPoint = Math.round(-lo / exact);
  return { scale: exact, min: zeroPoint === 0 ? 0 : -zeroPoint * exact };
}

function quantizeTensor(values: Float32Array, dtype: "float16" | "uint8"): { bytes: Uint8Array; quantization: NonNullable<tf.io.WeightsManifestEntry["quantization"]> } {
  if (dtype === "float16") {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: "float16" } };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const { scale, min } = affineRange(lo, hi);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((values[i] - min) / scale)));
  return { bytes: out, quantization: { dtype: "uint8", scale, min } };
}

function bytesPerValue(spec: tf.io.WeightsManifestEntry): number {
  if (spec.quantization) return spec.quantization.dtype === "uint8" ? 1 : 2;
  if (spec.dtype === "float32" || spec.dtype === "int32") return 4;
  if (spec.dtype === "bool") return 1;
  throw new LeptonError("compress:unsupportedWeightDtype", { name: spec.name, dtype: spec.dtype });
}

/**
 * Rewrites a weights manifest and its concatenated data to the given storage dtype. Only float32
 * tensors change; already-quantised or integer tensors are copied as they are.
 *
 * @example
 * ```ts
 * const { specs, data } = lepton.compress.quantizeWeightData(artifacts.weightSpecs, buffer, "uint8");
 * ```
 */
export function quantizeWeightData(
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  dtype: WeightDtype,
  options: QuantizeOptions = {},
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  if (dtype === "float32") return { specs, data };
  if (dtype !== "float16" && dtype !== "uint8") throw new LeptonError("compress:unknownDtype", { dtype: String(dtype) });
  const minElements = options.minElements ?? 16;
  const keepFloat16 = options.keepFloat16 ?? /variance/i;
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const length = size * bytesPerValue(spec);
    const raw = new Uint8Array(data.slice(offset, offset + length));
    offset += length;
    if (spec.dtype !== "float32" || spec.quantization) {
      parts.push(raw);
      outSpecs.push(spec);
      continue;
    }
    const small = dtype === "uint8" && (size < minElements || keepFloat16.test(spec.name));
    const { bytes, quantization } = quantizeTensor(new Float32Array(raw.buffer), small ? "float16" : dtype);
    parts.push(bytes);
    outSpecs.push({ ...spec, quantization });
  }
  const all = Buffer.concat(parts);
  return { specs: outSpecs, data: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}
