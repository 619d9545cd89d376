/**
 * Memory-bound training kernels as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * training.wat; the bytes below are its wat2wasm output): im2col, the bias-gradient sum over leading axes,
 * the 2x2 max-pool gradient, a small a^T·b for filter gradients of convolutions with few input
 * channels, and both gradients of depthwise convolutions (channel multiplier 1). They replace JavaScript loops that were 4-10x slower (numbers in each caller).
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const TRAINING_WASM =
  "AGFzbQEAAAABRwVgBX9/f39/AGAJf39/f39/f39/AGAGf39/f39/AGATf39/f39/f39/f39/f39/f39/fwBgEH9/f39/f39/f39/f39/f38AAg8BA2VudgZtZW1vcnkCAAEDBwYAAQIDBAQHSgYIc3VtX3Jvd3MAAA9tYXhwb29sMngyX2dyYWQAAQNhdGIAAg9kZXB0aHdpc2VfZ3JhZHMAAwZpbTJjb2wABAhpbTJjb2xfdAAFCqUSBr0CAwV/AXsBf0EAIQYgAkEDdCEJAkADQCAGIAlPDQEgBCAGakQAAAAAAAAAADkDACAGQQhqIQYMAAsLIAJBfHEhCCAAIQdBACEFAkADQCAFIAFPDQFBACEGAkADQCAGIAhPDQEgByAGQQJ0av0ABAAhCiAEIAZBA3RqIQsgCyAL/QAEACAK/V/98AH9CwQAIAsgC/0ABBAgCiAK/Q0ICQoLDA0ODwABAgMEBQYH/V/98AH9CwQQIAZBBGohBgwACwsCQANAIAYgAk8NASAEIAZBA3RqIQsgCyALKwMAIAcgBkECdGoqAgC7oDkDACAGQQFqIQYMAAsLIAcgAkECdGohByAFQQFqIQUMAAsLQQAhBgJAA0AgBiACTw0BIAMgBkECdGogBCAGQQN0aisDALY4AgAgBkEBaiEGDAALCwvSBAQLfwl7An8BfSAGQQJ0IQ0gBkF8cUECdCEdIAUgDWwhDiABIRNBACEJAkADQCAJIANPDQFBACEKAkADQCAKIAdPDQFBACELAkADQCALIAhPDQEgCSAEbCAKQQF0aiAObCALQQF0IA1saiEPQQAhDAJAA0AgDCAdTw0BIA8gDGogDWohECAPIAxqIA5qIREgESANaiESIAAgDyAMamr9AAQAIRQgACAQav0ABAAhFSAAIBFq/QAEACEWIAAgEmr9AAQAIRcgEyAMav0ABAAhGSAVIBT9RCEaIBUgFCAa/VIhGCAWIBj9RCEbIBYgGCAb/VIhGCAXIBj9RCEcIAIgEmogGSAc/U79CwQAIAIgEWogGSAbIBz9T/1O/QsEACACIBBqIBkgGiAb/U8gHP1P/U79CwQAIAIgDyAMamogGSAaIBv9UCAc/VD9T/0LBAAgDEEQaiEMDAALCwJAA0AgDCANTw0BIA8gDGogDWohECAPIAxqIA5qIREgESANaiESIA8gDGohHiACIB5qQwAAAAA4AgAgAiAQakMAAAAAOAIAIAIgEWpDAAAAADgCACACIBJqQwAAAAA4AgAgACAeaioCACEfIAAgEGoqAgAgH14EQCAQIR4gACAQaioCACEfCyAAIBFqKgIAIB9eBEAgESEeIAAgEWoqAgAhHwsgACASaioCACAfXgRAIBIhHgsgAiAeaiATIAxqKgIAOAIAIAxBBGohDAwACwsgEyANaiETIAtBAWohCwwACwsgCkEBaiEKDAALCyAJQQFqIQkMAAsLC4MCBAd/AXsDfwF9IAVBAnQhDCAFQXxxQQJ0IRAgAkEAIAQgDGz8CwAgACEJIAEhCkEAIQYCQANAIAYgA08NASACIQtBACEHAkADQCAHIARPDQEgCSAHQQJ0aioCACERIBH9EyENQQAhCAJAA0AgCCAQTw0BIAsgCGohDiAOIA79AAQAIA0gCiAIav0ABAD95gH95AH9CwQAIAhBEGohCAwACwsCQANAIAggDE8NASALIAhqIQ4gDiAOKgIAIBEgCiAIaioCAJSSOAIAIAhBBGohCAwACwsgCyAMaiELIAdBAWohBwwACwsgCSAEQQJ0aiEJIAogDGohCiAGQQFqIQYMAAsLC9sCAQ5/IAhBAnQhGyADIRxBACETAkADQCATIAVPDQFBACEUAkADQCAUIAlPDQFBACEVAkADQCAVIApPDQFBACEWAkADQCAWIAtPDQEgFCANbCARayAWIA9saiEZIBlBAE4gGSAGSHEEQEEAIRcCQANAIBcgDE8NASAVIA5sIBJrIBcgEGxqIRogGkEATiAaIAdIcQRAIBMgBmwgGWogB2wgGmogG2whHSAWIAxsIBdqIBtsIR4gAEUEQCAEIB5qIR8gASAdaiEgBSAEIB1qIR8gAiAeaiEgC0EAIRgCQANAIBggG08NASAfIBhqIB8gGGr9AAQAICAgGGr9AAQAIBwgGGr9AAQA/eYB/eQB/QsEACAYQRBqIRgMAAsLCyAXQQFqIRcMAAsLCyAWQQFqIRYMAAsLIBwgG2ohHCAVQQFqIRUMAAsLIBRBAWohFAwACwsgE0EBaiETDAALCwvOAgEMfyAFQQJ0IRggBUF8cUECdCEbIAEhGUEAIRACQANAIBAgAk8NAUEAIRECQANAIBEgBk8NAUEAIRICQANAIBIgB08NAUEAIRMCQANAIBMgCE8NASARIApsIA5rIBMgDGxqIRZBACEUAkADQCAUIAlPDQEgEiALbCAPayAUIA1saiEXIBZBAE4gFiADSHEgF0EATiAXIARIcXEEQCAAIBAgA2wgFmogBGwgF2ogGGxqIRpBACEVAkADQCAVIBtPDQEgGSAVaiAaIBVq/QAEAP0LBAAgFUEQaiEVDAALCwJAA0AgFSAYTw0BIBkgFWogGiAVaioCADgCACAVQQRqIRUMAAsLBSAZQQAgGPwLAAsgGSAYaiEZIBRBAWohFAwACwsgE0EBaiETDAALCyASQQFqIRIMAAsLIBFBAWohEQwACwsgEEEBaiEQDAALCwvdAwENfyAHQQJ0IRkgASEYQQAhEAJAA0AgECAITw0BQQAhEQJAA0AgESAJTw0BIA8gESANbGshGiAaQQBIBEBBACEaCyAaIAdKBEAgByEaCyAEIBEgDWxrIA9qIRsgGyAHSgRAIAchGwsgGyAaSARAIBohGwtBACESAkADQCASIAVPDQFBACETAkADQCATIAJPDQFBACEUAkADQCAUIAZPDQEgFCAKbCAOayAQIAxsaiEWIBZBAEggFiADTnIEQCAYQQAgGfwLAAUgBUEBRiALQQFGcQRAIBMgA2wgFmogBGwhHCAYQQAgGkECdPwLACAYIBpBAnRqIAAgHCAaIA9rIBEgDWxqakECdGogGyAaa0ECdPwKAAAgGCAbQQJ0akEAIAcgG2tBAnT8CwAFQQAhFQJAA0AgFSAHTw0BIBUgC2wgD2sgESANbGohFyAXQQBIIBcgBE5yBEAgGCAVQQJ0akMAAAAAOAIABSAYIBVBAnRqIAAgEyADbCAWaiAEbCAXaiAFbCASakECdGoqAgA4AgALIBVBAWohFQwACwsLCyAYIBlqIRggFEEBaiEUDAALCyATQQFqIRMMAAsLIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLCw==";

/** The kernels of training.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface TrainingKernels {
  sum_rows(x: number, rows: number, width: number, out: number, scratch: number): void;
  maxpool2x2_grad(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  atb(a: number, b: number, out: number, n: number, k1: number, k2: number): void;
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
