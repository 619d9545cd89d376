/**
 * MaxPoolGrad for wasm. tfjs-backend-wasm 4.22's own MaxPoolGrad (and MaxPoolWithArgmax) start
 * the running maximum at FLT_MIN (the smallest positive float) instead of -FLT_MAX, so in a window
 * whose values are all <= 0 (common after ReLU) the gradient goes to element 0 of the whole
 * tensor. This replacement routes dy to the first maximum of each window (TensorFlow's rule) in
 * one pass over the wasm heap; overlapping windows accumulate.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmHeapBackend } from "./heap";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/** dx[first argmax of each window] += dy. */
export function maxPoolGrad({ inputs, attrs, backend }: { inputs: tf.NamedTensorMap; attrs?: Record<string, unknown>; backend: WasmHeapBackend }): tf.TensorInfo {
  const a = attrs ?? {};
  const x = inputs.input as tf.Tensor4D;
  const g = tf.backend_util.computePool2DInfo(
    x.shape, a.filterSize as number | [number, number], a.strides as number | [number, number], 1,
    a.pad as Pad, a.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const out = backend.makeOutput(x.shape, "float32");
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const dy = backend.typedArrayFromHeap(inputs.dy) as Float32Array;
  dx.fill(0);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  let o = 0;
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o += c) {
        best.fill(-Infinity);
        at.fill(-1);
        for (let p = 0; p < kh; p++) {
          const ih = i * sh - top + p;
          if (ih < 0 || ih >= h) continue;
          for (let q = 0; q < kw; q++) {
            const iw = j * sw - left + q;
            if (iw < 0 || iw >= w) continue;
            const base = ((n * h + ih) * w + iw) * c;
            for (let k = 0; k < c; k++) {
              const v = xv[base + k];
              // Strictly greater: ties keep the first position, as in TensorFlow.
              if (v > best[k] || at[k] < 0) {
                best[k] = v;
                at[k] = base + k;
              }
            }
          }
        }
        for (let k = 0; k < c; k++) if (at[k] >= 0) dx[at[k]] += dy[o + k];
      }
    }
  }
  return out;
}
