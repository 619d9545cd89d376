/**
 * The Adam update as a WebAssembly SIMD loop over tfjs-backend-wasm's memory (source: adam.wat;
 * the bytes below are its wat2wasm output). Four floats per instruction instead of the
 * JavaScript loop's one: the MLP 784-128-10's update went from about 0.9 ms (tfjs's ops, or the
 * JavaScript loop) to about 0.1 ms.
 */
import { simdExports } from "./simd-module";

const ADAM_WASM =
  "AGFzbQEAAAABEQFgDX9/f39/f319fX19fX0AAg8BA2VudgZtZW1vcnkCAAEDAgEABwgBBGFkYW0AAArlAgHiAgMCfwp7A30gBv0TIRIgB/0TIRMgCP0TIRQgCf0TIRUgCv0TIRYgC/0TIRcgDP0TIRggBUF8cUECdCEOQQAhDQJAA0AgDSAOTw0BIAEgDWr9AAQAIQ8gAiANav0ABAAgEv3mASAPIBT95gH95AEhECADIA1q/QAEACAT/eYBIA8gD/3mASAV/eYB/eQBIREgAiANaiAQ/QsEACADIA1qIBH9CwQAIAQgDWogACANav0ABAAgECAW/eYBIBH94wEgF/3mASAY/eQB/ecB/eQB/QsEACANQRBqIQ0MAAsLIAVBAnQhDgJAA0AgDSAOTw0BIAEgDWoqAgAhGSACIA1qKgIAIAaUIBkgCJSSIRogAyANaioCACAHlCAZIBmUIAmUkiEbIAIgDWogGjgCACADIA1qIBs4AgAgBCANaiAAIA1qKgIAIBogCpQgG5EgC5QgDJKVkjgCACANQQRqIQ0MAAsLCw==";

/** adam(w, g, m, v, out, n, b1, b2, c1, c2, stepScale, rootScale, eps), byte offsets into memory. */
export type AdamKernel = (
  w: number, g: number, m: number, v: number, out: number, n: number,
  b1: number, b2: number, c1: number, c2: number, stepScale: number, rootScale: number, eps: number,
) => void;

/**
 * The SIMD Adam kernel bound to `memory`, or null where WebAssembly SIMD is unavailable (the
 * caller then runs its JavaScript loop).
 */
export function adamKernel(memory: WebAssembly.Memory | undefined): AdamKernel | null {
  return (simdExports(ADAM_WASM, memory)?.adam as AdamKernel | undefined) ?? null;
}
