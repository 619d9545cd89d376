/**
 * Memory-bound training kernels as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * training.wat; the bytes below are its wat2wasm output): im2col (plain and transposed), the
 * bias-gradient sum over leading axes, the 2x2 max-pool gradient, and both gradients of depthwise
 * convolutions (channel multiplier 1). They replace JavaScript loops that were 4-10x slower (numbers in each caller).
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const TRAINING_WASM =
  "AGFzbQEAAAABKANgBX9/f39/AGAJf39/f39/f39/AGAQf39/f39/f39/f39/f39/fwACDwEDZW52Bm1lbW9yeQIAAQMFBAABAgIHMgQIc3VtX3Jvd3MAAA9tYXhwb29sMngyX2dyYWQAAQZpbTJjb2wAAghpbTJjb2xfdAADCsMNBL0CAwV/AXsBf0EAIQYgAkEDdCEJAkADQCAGIAlPDQEgBCAGakQAAAAAAAAAADkDACAGQQhqIQYMAAsLIAJBfHEhCCAAIQdBACEFAkADQCAFIAFPDQFBACEGAkADQCAGIAhPDQEgByAGQQJ0av0ABAAhCiAEIAZBA3RqIQsgCyAL/QAEACAK/V/98AH9CwQAIAsgC/0ABBAgCiAK/Q0ICQoLDA0ODwABAgMEBQYH/V/98AH9CwQQIAZBBGohBgwACwsCQANAIAYgAk8NASAEIAZBA3RqIQsgCyALKwMAIAcgBkECdGoqAgC7oDkDACAGQQFqIQYMAAsLIAcgAkECdGohByAFQQFqIQUMAAsLQQAhBgJAA0AgBiACTw0BIAMgBkECdGogBCAGQQN0aisDALY4AgAgBkEBaiEGDAALCwvSBAQLfwl7An8BfSAGQQJ0IQ0gBkF8cUECdCEdIAUgDWwhDiABIRNBACEJAkADQCAJIANPDQFBACEKAkADQCAKIAdPDQFBACELAkADQCALIAhPDQEgCSAEbCAKQQF0aiAObCALQQF0IA1saiEPQQAhDAJAA0AgDCAdTw0BIA8gDGogDWohECAPIAxqIA5qIREgESANaiESIAAgDyAMamr9AAQAIRQgACAQav0ABAAhFSAAIBFq/QAEACEWIAAgEmr9AAQAIRcgEyAMav0ABAAhGSAVIBT9RCEaIBUgFCAa/VIhGCAWIBj9RCEbIBYgGCAb/VIhGCAXIBj9RCEcIAIgEmogGSAc/U79CwQAIAIgEWogGSAbIBz9T/1O/QsEACACIBBqIBkgGiAb/U8gHP1P/U79CwQAIAIgDyAMamogGSAaIBv9UCAc/VD9T/0LBAAgDEEQaiEMDAALCwJAA0AgDCANTw0BIA8gDGogDWohECAPIAxqIA5qIREgESANaiESIA8gDGohHiACIB5qQwAAAAA4AgAgAiAQakMAAAAAOAIAIAIgEWpDAAAAADgCACACIBJqQwAAAAA4AgAgACAeaioCACEfIAAgEGoqAgAgH14EQCAQIR4gACAQaioCACEfCyAAIBFqKgIAIB9eBEAgESEeIAAgEWoqAgAhHwsgACASaioCACAfXgRAIBIhHgsgAiAeaiATIAxqKgIAOAIAIAxBBGohDAwACwsgEyANaiETIAtBAWohCwwACwsgCkEBaiEKDAALCyAJQQFqIQkMAAsLC84CAQx/IAVBAnQhGCAFQXxxQQJ0IRsgASEZQQAhEAJAA0AgECACTw0BQQAhEQJAA0AgESAGTw0BQQAhEgJAA0AgEiAHTw0BQQAhEwJAA0AgEyAITw0BIBEgCmwgDmsgEyAMbGohFkEAIRQCQANAIBQgCU8NASASIAtsIA9rIBQgDWxqIRcgFkEATiAWIANIcSAXQQBOIBcgBEhxcQRAIAAgECADbCAWaiAEbCAXaiAYbGohGkEAIRUCQANAIBUgG08NASAZIBVqIBogFWr9AAQA/QsEACAVQRBqIRUMAAsLAkADQCAVIBhPDQEgGSAVaiAaIBVqKgIAOAIAIBVBBGohFQwACwsFIBlBACAY/AsACyAZIBhqIRkgFEEBaiEUDAALCyATQQFqIRMMAAsLIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLC90DAQ1/IAdBAnQhGSABIRhBACEQAkADQCAQIAhPDQFBACERAkADQCARIAlPDQEgDyARIA1sayEaIBpBAEgEQEEAIRoLIBogB0oEQCAHIRoLIAQgESANbGsgD2ohGyAbIAdKBEAgByEbCyAbIBpIBEAgGiEbC0EAIRICQANAIBIgBU8NAUEAIRMCQANAIBMgAk8NAUEAIRQCQANAIBQgBk8NASAUIApsIA5rIBAgDGxqIRYgFkEASCAWIANOcgRAIBhBACAZ/AsABSAFQQFGIAtBAUZxBEAgEyADbCAWaiAEbCEcIBhBACAaQQJ0/AsAIBggGkECdGogACAcIBogD2sgESANbGpqQQJ0aiAbIBprQQJ0/AoAACAYIBtBAnRqQQAgByAba0ECdPwLAAVBACEVAkADQCAVIAdPDQEgFSALbCAPayARIA1saiEXIBdBAEggFyAETnIEQCAYIBVBAnRqQwAAAAA4AgAFIBggFUECdGogACATIANsIBZqIARsIBdqIAVsIBJqQQJ0aioCADgCAAsgFUEBaiEVDAALCwsLIBggGWohGCAUQQFqIRQMAAsLIBNBAWohEwwACwsgEkEBaiESDAALCyARQQFqIREMAAsLIBBBAWohEAwACwsL";

/** The kernels of training.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface TrainingKernels {
  sum_rows(x: number, rows: number, width: number, out: number, scratch: number): void;
  maxpool2x2_grad(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  im2col(
    x: number, out: number, b: number, h: number, w: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number,
  ): void;
  im2col_t(
    x: number, out: number, b: number, h: number, w: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number,
  ): void;
  depthwise_grads(
    mode: 0 | 1, x: number, w: number, dy: number, out: number, b: number, h: number, wd: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number,
  ): void;
}

/** The kernels bound to the backend's memory, or null without WebAssembly SIMD or off wasm. */
export function trainingKernels(backend: unknown): TrainingKernels | null {
  return simdExports(TRAINING_WASM, wasmMemoryOf(backend)) as unknown as TrainingKernels | null;
}
