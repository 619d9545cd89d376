/**
 * Memory-bound training kernels as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * training.wat; the bytes below are its wat2wasm output): the bias-gradient sum over leading axes,
 * the 2x2 max-pool gradient and a small a^T·b for filter gradients of convolutions with few input
 * channels. They replace JavaScript loops that were 4-10x slower (numbers in each caller).
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const TRAINING_WASM =
  "AGFzbQEAAAABHgNgBX9/f39/AGAJf39/f39/f39/AGAGf39/f39/AAIPAQNlbnYGbWVtb3J5AgABAwQDAAECByQDCHN1bV9yb3dzAAAPbWF4cG9vbDJ4Ml9ncmFkAAEDYXRiAAIKqAcDvQIDBX8BewF/QQAhBiACQQN0IQkCQANAIAYgCU8NASAEIAZqRAAAAAAAAAAAOQMAIAZBCGohBgwACwsgAkF8cSEIIAAhB0EAIQUCQANAIAUgAU8NAUEAIQYCQANAIAYgCE8NASAHIAZBAnRq/QAEACEKIAQgBkEDdGohCyALIAv9AAQAIAr9X/3wAf0LBAAgCyAL/QAEECAKIAr9DQgJCgsMDQ4PAAECAwQFBgf9X/3wAf0LBBAgBkEEaiEGDAALCwJAA0AgBiACTw0BIAQgBkEDdGohCyALIAsrAwAgByAGQQJ0aioCALugOQMAIAZBAWohBgwACwsgByACQQJ0aiEHIAVBAWohBQwACwtBACEGAkADQCAGIAJPDQEgAyAGQQJ0aiAEIAZBA3RqKwMAtjgCACAGQQFqIQYMAAsLC/QCAgt/CXsgBkECdCENIAUgDWwhDiABIRNBACEJAkADQCAJIANPDQFBACEKAkADQCAKIAdPDQFBACELAkADQCALIAhPDQEgCSAEbCAKQQF0aiAObCALQQF0IA1saiEPQQAhDAJAA0AgDCANTw0BIA8gDGogDWohECAPIAxqIA5qIREgESANaiESIAAgDyAMamr9AAQAIRQgACAQav0ABAAhFSAAIBFq/QAEACEWIAAgEmr9AAQAIRcgEyAMav0ABAAhGSAVIBT9RCEaIBUgFCAa/VIhGCAWIBj9RCEbIBYgGCAb/VIhGCAXIBj9RCEcIAIgEmogGSAc/U79CwQAIAIgEWogGSAbIBz9T/1O/QsEACACIBBqIBkgGiAb/U8gHP1P/U79CwQAIAIgDyAMamogGSAaIBv9UCAc/VD9T/0LBAAgDEEQaiEMDAALCyATIA1qIRMgC0EBaiELDAALCyAKQQFqIQoMAAsLIAlBAWohCQwACwsL8AEDB38BewJ/IAVBAnQhDCACIQ4gAiAEIAxsaiEPAkADQCAOIA9PDQEgDv0MAAAAAAAAAAAAAAAAAAAAAP0LBAAgDkEQaiEODAALCyAAIQkgASEKQQAhBgJAA0AgBiADTw0BIAIhC0EAIQcCQANAIAcgBE8NASAJIAdBAnRqKgIA/RMhDUEAIQgCQANAIAggDE8NASALIAhqIQ4gDiAO/QAEACANIAogCGr9AAQA/eYB/eQB/QsEACAIQRBqIQgMAAsLIAsgDGohCyAHQQFqIQcMAAsLIAkgBEECdGohCSAKIAxqIQogBkEBaiEGDAALCws=";

/** The kernels of training.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface TrainingKernels {
  sum_rows(x: number, rows: number, width: number, out: number, scratch: number): void;
  maxpool2x2_grad(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  atb(a: number, b: number, out: number, n: number, k1: number, k2: number): void;
}

/** The kernels bound to the backend's memory, or null without WebAssembly SIMD or off wasm. */
export function trainingKernels(backend: unknown): TrainingKernels | null {
  return simdExports(TRAINING_WASM, wasmMemoryOf(backend)) as unknown as TrainingKernels | null;
}
