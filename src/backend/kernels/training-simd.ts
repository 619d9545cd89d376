/**
 * Memory-bound training kernels as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * training.wat; the bytes below are its wat2wasm output): im2col (plain and transposed), the
 * bias add and its gradient's sum over leading axes, batch norm at inference, products with a short inner dimension, transposes of
 * the last two axes, the 2x2 max-pool gradient, and both gradients of depthwise
 * convolutions (channel multiplier 1). They replace JavaScript loops that were 4-10x slower (numbers in each caller).
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const TRAINING_WASM =
  "AGFzbQEAAAABRwVgBX9/f39/AGAJf39/f39/f39/AGATf39/f39/f39/f39/f39/f39/fwBgEH9/f39/f39/f39/f39/f38AYAZ/f39/f38AAg8BA2VudgZtZW1vcnkCAAEDCgkAAQIDAwAEAAQHfAkIc3VtX3Jvd3MAAA9tYXhwb29sMngyX2dyYWQAAQ9kZXB0aHdpc2VfZ3JhZHMAAgZpbTJjb2wAAwhpbTJjb2xfdAAECGFkZF9iaWFzAAUObWF0bXVsX3NtYWxsX2sABgt0cmFuc3Bvc2UyZAAHC3NjYWxlX3NoaWZ0AAgK1hYJvQIDBX8BewF/QQAhBiACQQN0IQkCQANAIAYgCU8NASAEIAZqRAAAAAAAAAAAOQMAIAZBCGohBgwACwsgAkF8cSEIIAAhB0EAIQUCQANAIAUgAU8NAUEAIQYCQANAIAYgCE8NASAHIAZBAnRq/QAEACEKIAQgBkEDdGohCyALIAv9AAQAIAr9X/3wAf0LBAAgCyAL/QAEECAKIAr9DQgJCgsMDQ4PAAECAwQFBgf9X/3wAf0LBBAgBkEEaiEGDAALCwJAA0AgBiACTw0BIAQgBkEDdGohCyALIAsrAwAgByAGQQJ0aioCALugOQMAIAZBAWohBgwACwsgByACQQJ0aiEHIAVBAWohBQwACwtBACEGAkADQCAGIAJPDQEgAyAGQQJ0aiAEIAZBA3RqKwMAtjgCACAGQQFqIQYMAAsLC9IEBAt/CXsCfwF9IAZBAnQhDSAGQXxxQQJ0IR0gBSANbCEOIAEhE0EAIQkCQANAIAkgA08NAUEAIQoCQANAIAogB08NAUEAIQsCQANAIAsgCE8NASAJIARsIApBAXRqIA5sIAtBAXQgDWxqIQ9BACEMAkADQCAMIB1PDQEgDyAMaiANaiEQIA8gDGogDmohESARIA1qIRIgACAPIAxqav0ABAAhFCAAIBBq/QAEACEVIAAgEWr9AAQAIRYgACASav0ABAAhFyATIAxq/QAEACEZIBUgFP1EIRogFSAUIBr9UiEYIBYgGP1EIRsgFiAYIBv9UiEYIBcgGP1EIRwgAiASaiAZIBz9Tv0LBAAgAiARaiAZIBsgHP1P/U79CwQAIAIgEGogGSAaIBv9TyAc/U/9Tv0LBAAgAiAPIAxqaiAZIBogG/1QIBz9UP1P/QsEACAMQRBqIQwMAAsLAkADQCAMIA1PDQEgDyAMaiANaiEQIA8gDGogDmohESARIA1qIRIgDyAMaiEeIAIgHmpDAAAAADgCACACIBBqQwAAAAA4AgAgAiARakMAAAAAOAIAIAIgEmpDAAAAADgCACAAIB5qKgIAIR8gACAQaioCACAfXgRAIBAhHiAAIBBqKgIAIR8LIAAgEWoqAgAgH14EQCARIR4gACARaioCACEfCyAAIBJqKgIAIB9eBEAgEiEeCyACIB5qIBMgDGoqAgA4AgAgDEEEaiEMDAALCyATIA1qIRMgC0EBaiELDAALCyAKQQFqIQoMAAsLIAlBAWohCQwACwsL2wIBDn8gCEECdCEbIAMhHEEAIRMCQANAIBMgBU8NAUEAIRQCQANAIBQgCU8NAUEAIRUCQANAIBUgCk8NAUEAIRYCQANAIBYgC08NASAUIA1sIBFrIBYgD2xqIRkgGUEATiAZIAZIcQRAQQAhFwJAA0AgFyAMTw0BIBUgDmwgEmsgFyAQbGohGiAaQQBOIBogB0hxBEAgEyAGbCAZaiAHbCAaaiAbbCEdIBYgDGwgF2ogG2whHiAARQRAIAQgHmohHyABIB1qISAFIAQgHWohHyACIB5qISALQQAhGAJAA0AgGCAbTw0BIB8gGGogHyAYav0ABAAgICAYav0ABAAgHCAYav0ABAD95gH95AH9CwQAIBhBEGohGAwACwsLIBdBAWohFwwACwsLIBZBAWohFgwACwsgHCAbaiEcIBVBAWohFQwACwsgFEEBaiEUDAALCyATQQFqIRMMAAsLC84CAQx/IAVBAnQhGCAFQXxxQQJ0IRsgASEZQQAhEAJAA0AgECACTw0BQQAhEQJAA0AgESAGTw0BQQAhEgJAA0AgEiAHTw0BQQAhEwJAA0AgEyAITw0BIBEgCmwgDmsgEyAMbGohFkEAIRQCQANAIBQgCU8NASASIAtsIA9rIBQgDWxqIRcgFkEATiAWIANIcSAXQQBOIBcgBEhxcQRAIAAgECADbCAWaiAEbCAXaiAYbGohGkEAIRUCQANAIBUgG08NASAZIBVqIBogFWr9AAQA/QsEACAVQRBqIRUMAAsLAkADQCAVIBhPDQEgGSAVaiAaIBVqKgIAOAIAIBVBBGohFQwACwsFIBlBACAY/AsACyAZIBhqIRkgFEEBaiEUDAALCyATQQFqIRMMAAsLIBJBAWohEgwACwsgEUEBaiERDAALCyAQQQFqIRAMAAsLC90DAQ1/IAdBAnQhGSABIRhBACEQAkADQCAQIAhPDQFBACERAkADQCARIAlPDQEgDyARIA1sayEaIBpBAEgEQEEAIRoLIBogB0oEQCAHIRoLIAQgESANbGsgD2ohGyAbIAdKBEAgByEbCyAbIBpIBEAgGiEbC0EAIRICQANAIBIgBU8NAUEAIRMCQANAIBMgAk8NAUEAIRQCQANAIBQgBk8NASAUIApsIA5rIBAgDGxqIRYgFkEASCAWIANOcgRAIBhBACAZ/AsABSAFQQFGIAtBAUZxBEAgEyADbCAWaiAEbCEcIBhBACAaQQJ0/AsAIBggGkECdGogACAcIBogD2sgESANbGpqQQJ0aiAbIBprQQJ0/AoAACAYIBtBAnRqQQAgByAba0ECdPwLAAVBACEVAkADQCAVIAdPDQEgFSALbCAPayARIA1saiEXIBdBAEggFyAETnIEQCAYIBVBAnRqQwAAAAA4AgAFIBggFUECdGogACATIANsIBZqIARsIBdqIAVsIBJqQQJ0aioCADgCAAsgFUEBaiEVDAALCwsLIBggGWohGCAUQQFqIRQMAAsLIBNBAWohEwwACwsgEkEBaiESDAALCyARQQFqIREMAAsLIBBBAWohEAwACwsLrAEBBn8gBEECdCEHIARBfHFBAnQhCCAAIQkgAiEKQQAhBQJAA0AgBSADTw0BQQAhBgJAA0AgBiAITw0BIAogBmogCSAGav0ABAAgASAGav0ABAD95AH9CwQAIAZBEGohBgwACwsCQANAIAYgB08NASAKIAZqIAkgBmoqAgAgASAGaioCAJI4AgAgBkEEaiEGDAALCyAJIAdqIQkgCiAHaiEKIAVBAWohBQwACwsLgQIEB38BewF9AX8gBUECdCEJIAVBfHFBAnQhCiACQQAgAyAJbPwLACACIQsgACEPQQAhBgJAA0AgBiADTw0BIAEhDEEAIQcCQANAIAcgBE8NASAPIAdBAnRqKgIAIQ4gDv0TIQ1BACEIAkADQCAIIApPDQEgCyAIaiALIAhq/QAEACANIAwgCGr9AAQA/eYB/eQB/QsEACAIQRBqIQgMAAsLAkADQCAIIAlPDQEgCyAIaiALIAhqKgIAIA4gDCAIaioCAJSSOAIAIAhBBGohCAwACwsgDCAJaiEMIAdBAWohBwwACwsgCyAJaiELIA8gBEECdGohDyAGQQFqIQYMAAsLC8ABAQd/IAAhCiABIQtBACEFAkADQCAFIAJPDQFBACEGAkADQCAGIANPDQEgBkEIaiEIIAggA0sEQCADIQgLQQAhCQJAA0AgCSAETw0BIAYhBwJAA0AgByAITw0BIAsgCSADbCAHakECdGogCiAHIARsIAlqQQJ0aioCADgCACAHQQFqIQcMAAsLIAlBAWohCQwACwsgCCEGDAALCyAKIAMgBGxBAnRqIQogCyADIARsQQJ0aiELIAVBAWohBQwACwsLwQEBBn8gBUECdCEIIAVBfHFBAnQhCSAAIQogAyELQQAhBgJAA0AgBiAETw0BQQAhBwJAA0AgByAJTw0BIAsgB2ogCiAHav0ABAAgASAHav0ABAD95gEgAiAHav0ABAD95AH9CwQAIAdBEGohBwwACwsCQANAIAcgCE8NASALIAdqIAogB2oqAgAgASAHaioCAJQgAiAHaioCAJI4AgAgB0EEaiEHDAALCyAKIAhqIQogCyAIaiELIAZBAWohBgwACwsL";

/** The kernels of training.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface TrainingKernels {
  sum_rows(x: number, rows: number, width: number, out: number, scratch: number): void;
  maxpool2x2_grad(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  transpose2d(x: number, out: number, batch: number, m: number, n: number): void;
  matmul_small_k(a: number, b: number, out: number, m: number, k: number, n: number): void;
  scale_shift(x: number, a: number, b: number, out: number, rows: number, width: number): void;
  add_bias(x: number, b: number, out: number, rows: number, width: number): void;
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
