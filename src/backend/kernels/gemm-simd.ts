/**
 * Matrix products for training as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * gemm.wat; the bytes below are its wat2wasm output). Measured against XNNPACK on the products of
 * a training step, with a new right-hand operand per call as in training: MLP 64x784x128 0.40 vs
 * 0.73 ms, the Keras CNN's filter gradients 9.6 vs 15.9 ms and 1.1 vs 7.7 ms, LeNet-5's 0.8 vs
 * 2.7 ms; equal or faster even where XNNPACK's packed operator was cached.
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const GEMM_WASM =
  "AGFzbQEAAAABJARgAn9/AXtgA397fwBgC39/f39/f39/f39/AGAGf39/f39/AAIPAQNlbnYGbWVtb3J5AgABAwUEAAECAwcTAgRnZW1tAAIIYmlhc19hY3QAAwqNCwRlAQF7/QwAAAAAAAAAAAAAAAAAAAAAIQIgAUEETgRAIAD9AAQADwsgAUEBTgRAIAIgACoCAP0gACECCyABQQJOBEAgAiAAKgIE/SABIQILIAFBA04EQCACIAAqAgj9IAIhAgsgAgtJACACQQROBEAgACAB/QsEAA8LIAJBAU4EQCAAIAH9HwA4AgALIAJBAk4EQCAAIAH9HwE4AgQLIAJBA04EQCAAIAH9HwI4AggLC+wHAhF/C3sgB0ECdCEUQQAhCwJAA0AgCyAITg0BIAsgCWohDCAMIAhKBEAgCCEMCyALRSAKRXEhE0EAIQ0CQANAIA0gBk4NASAGIA1rIQ8gD0EESgRAQQQhDwtBACEOAkADQCAOIAdODQEgByAOayEQIBBBCEoEQEEIIRALQQQgECAQQQRKGyERIBAgEWshEiAFIA0gB2wgDmpBAnRqIRUgEwRA/QwAAAAAAAAAAAAAAAAAAAAAIRz9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEe/QwAAAAAAAAAAAAAAAAAAAAAIR/9DAAAAAAAAAAAAAAAAAAAAAAhIP0MAAAAAAAAAAAAAAAAAAAAACEh/QwAAAAAAAAAAAAAAAAAAAAAISL9DAAAAAAAAAAAAAAAAAAAAAAhIwUgFSAREAAhHCAVQRBqIBIQACEdIA9BAUoEQCAVIBRqIBEQACEeIBUgFGpBEGogEhAAIR8LIA9BAkoEQCAVIBRBAXRqIBEQACEgIBUgFEEBdGpBEGogEhAAISELIA9BA0oEQCAVIBRBA2xqIBEQACEiIBUgFEEDbGpBEGogEhAAISMLCyAAIA0gAWxqIAsgAmxqIRcgFyABaiAXIA9BAUobIRggGCABaiAXIA9BAkobIRkgGSABaiAXIA9BA0obIRogAyALIARsaiAOQQJ0aiEbIAshFgJAA0AgFiAMTg0BIBv9AAQAISQgG/0ABBAhJSAX/QkCACEmIBwgJiAk/eYB/eQBIRwgHSAmICX95gH95AEhHSAY/QkCACEmIB4gJiAk/eYB/eQBIR4gHyAmICX95gH95AEhHyAZ/QkCACEmICAgJiAk/eYB/eQBISAgISAmICX95gH95AEhISAa/QkCACEmICIgJiAk/eYB/eQBISIgIyAmICX95gH95AEhIyAXIAJqIRcgGCACaiEYIBkgAmohGSAaIAJqIRogGyAEaiEbIBZBAWohFgwACwsgD0EERiAQQQhGcQRAIBUgHP0LBAAgFSAd/QsEECAVIBRqIRUgFSAe/QsEACAVIB/9CwQQIBUgFGohFSAVICD9CwQAIBUgIf0LBBAgFSAUaiEVIBUgIv0LBAAgFSAj/QsEEAUgFSAcIBEQASAVQRBqIB0gEhABIA9BAUoEQCAVIBRqIRUgFSAeIBEQASAVQRBqIB8gEhABCyAPQQJKBEAgFSAUaiEVIBUgICAREAEgFUEQaiAhIBIQAQsgD0EDSgRAIBUgFGohFSAVICIgERABIBVBEGogIyASEAELCyAOQQhqIQ4MAAsLIA1BBGohDQwACwsgDCELDAALCwvsAQMFfwF7AX0gA0ECdCEIIANBfHFBAnQhCSAAIQpBACEGAkADQCAGIAJPDQFBACEHAkADQCAHIAlPDQEgCiAHav0ABAAhCyAEBEAgCyABIAdq/QAEAP3kASELCyAFBEAgC/0MAAAAAAAAAAAAAAAAAAAAAP3pASELCyAKIAdqIAv9CwQAIAdBEGohBwwACwsCQANAIAcgCE8NASAKIAdqKgIAIQwgBARAIAwgASAHaioCAJIhDAsgBQRAIAxDAAAAAJchDAsgCiAHaiAMOAIAIAdBBGohBwwACwsgCiAIaiEKIAZBAWohBgwACwsL";

/** The kernels of gemm.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface GemmKernels {
  /**
   * c[m, n] (+= when accumulate is 1) A · b, where A(i, p) is the float at a + i·sai + p·sap and
   * b's rows are sbp bytes apart; kb products per register block. Reads up to 7 floats past the
   * end of a row of b: see {@link gemmOverread}.
   */
  gemm(a: number, sai: number, sap: number, b: number, sbp: number, c: number, m: number, n: number, k: number, kb: number, accumulate: number): void;
  /** x[r, j] = act(x[r, j] + b[j]) in place; b is read only when hasBias is 1, act is relu when relu is 1. */
  bias_act(x: number, b: number, rows: number, width: number, hasBias: number, relu: number): void;
}

/** Bytes gemm may read past the last row of b (its 8-wide tiles load whole vectors). */
export const gemmOverread = 32;

/** The kernels bound to the backend's memory, or null without WebAssembly SIMD or off wasm. */
export function gemmKernels(backend: unknown): GemmKernels | null {
  return simdExports(GEMM_WASM, wasmMemoryOf(backend)) as unknown as GemmKernels | null;
}
