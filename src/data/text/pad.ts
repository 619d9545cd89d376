/**
 * Padding and truncation of id sequences to one length, and their tensor form.
 */
import * as tf from "@tensorflow/tfjs";

/** How to pad and truncate. */
export interface PadOptions {
  /** Target length; default the longest sequence. */
  length?: number;
  /** Where padding goes. Default "post". */
  padding?: "pre" | "post";
  /** Which end is cut when too long. Default "post" (keep the start). */
  truncating?: "pre" | "post";
  /** The padding id. Default 0. */
  value?: number;
}

/**
 * Pads/truncates sequences into one row-major Int32Array `[sequences.length, length]`.
 *
 * @example
 * ```ts
 * lepton.data.text.padSequences([[5, 6, 7], [8]], { length: 2 });  // Int32Array [5, 6, 8, 0]
 * ```
 */
export function padSequences(sequences: number[][], options: PadOptions = {}): { data: Int32Array; length: number } {
  const length = options.length ?? Math.max(0, ...sequences.map((s) => s.length));
  const data = new Int32Array(sequences.length * length).fill(options.value ?? 0);
  sequences.forEach((s, i) => {
    const kept = s.length <= length ? s : options.truncating === "pre" ? s.slice(s.length - length) : s.slice(0, length);
    const offset = options.padding === "pre" ? length - kept.length : 0;
    data.set(kept, i * length + offset);
  });
  return { data, length };
}

/** {@link padSequences} as an int32 tensor `[n, length]`. */
export function padToTensor(sequences: number[][], options: PadOptions = {}): tf.Tensor2D {
  const { data, length } = padSequences(sequences, options);
  return tf.tensor2d(data, [sequences.length, length], "int32");
}
