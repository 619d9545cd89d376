/**
 * Memory-bound training kernels as WebAssembly SIMD loops over tfjs-backend-wasm's memory (source:
 * training.wat; the bytes below are its wat2wasm output): the bias-gradient sum over leading axes,
 * the 2x2 max-pool gradient, a small a^T·b for filter gradients of convolutions with few input
 * channels, and both gradients of depthwise convolutions (channel multiplier 1). They replace JavaScript loops that were 4-10x slower (numbers in each caller).
 */
import { simdExports, wasmMemoryOf } from "./simd-module";

const TRAINING_WASM =
  "AGFzbQEAAAABNARgBX9/f39/AGAJf39/f39/f39/AGAGf39/f39/AGATf39/f39/f39/f39/f39/f39/fwACDwEDZW52Bm1lbW9yeQIAAQMFBAABAgMHNgQIc3VtX3Jvd3MAAA9tYXhwb29sMngyX2dyYWQAAQNhdGIAAg9kZXB0aHdpc2VfZ3JhZHMAAwqFCgS9AgMFfwF7AX9BACEGIAJBA3QhCQJAA0AgBiAJTw0BIAQgBmpEAAAAAAAAAAA5AwAgBkEIaiEGDAALCyACQXxxIQggACEHQQAhBQJAA0AgBSABTw0BQQAhBgJAA0AgBiAITw0BIAcgBkECdGr9AAQAIQogBCAGQQN0aiELIAsgC/0ABAAgCv1f/fAB/QsEACALIAv9AAQQIAogCv0NCAkKCwwNDg8AAQIDBAUGB/1f/fAB/QsEECAGQQRqIQYMAAsLAkADQCAGIAJPDQEgBCAGQQN0aiELIAsgCysDACAHIAZBAnRqKgIAu6A5AwAgBkEBaiEGDAALCyAHIAJBAnRqIQcgBUEBaiEFDAALC0EAIQYCQANAIAYgAk8NASADIAZBAnRqIAQgBkEDdGorAwC2OAIAIAZBAWohBgwACwsL9AICC38JeyAGQQJ0IQ0gBSANbCEOIAEhE0EAIQkCQANAIAkgA08NAUEAIQoCQANAIAogB08NAUEAIQsCQANAIAsgCE8NASAJIARsIApBAXRqIA5sIAtBAXQgDWxqIQ9BACEMAkADQCAMIA1PDQEgDyAMaiANaiEQIA8gDGogDmohESARIA1qIRIgACAPIAxqav0ABAAhFCAAIBBq/QAEACEVIAAgEWr9AAQAIRYgACASav0ABAAhFyATIAxq/QAEACEZIBUgFP1EIRogFSAUIBr9UiEYIBYgGP1EIRsgFiAYIBv9UiEYIBcgGP1EIRwgAiASaiAZIBz9Tv0LBAAgAiARaiAZIBsgHP1P/U79CwQAIAIgEGogGSAaIBv9TyAc/U/9Tv0LBAAgAiAPIAxqaiAZIBogG/1QIBz9UP1P/QsEACAMQRBqIQwMAAsLIBMgDWohEyALQQFqIQsMAAsLIApBAWohCgwACwsgCUEBaiEJDAALCwvwAQMHfwF7An8gBUECdCEMIAIhDiACIAQgDGxqIQ8CQANAIA4gD08NASAO/QwAAAAAAAAAAAAAAAAAAAAA/QsEACAOQRBqIQ4MAAsLIAAhCSABIQpBACEGAkADQCAGIANPDQEgAiELQQAhBwJAA0AgByAETw0BIAkgB0ECdGoqAgD9EyENQQAhCAJAA0AgCCAMTw0BIAsgCGohDiAOIA79AAQAIA0gCiAIav0ABAD95gH95AH9CwQAIAhBEGohCAwACwsgCyAMaiELIAdBAWohBwwACwsgCSAEQQJ0aiEJIAogDGohCiAGQQFqIQYMAAsLC9sCAQ5/IAhBAnQhGyADIRxBACETAkADQCATIAVPDQFBACEUAkADQCAUIAlPDQFBACEVAkADQCAVIApPDQFBACEWAkADQCAWIAtPDQEgFCANbCARayAWIA9saiEZIBlBAE4gGSAGSHEEQEEAIRcCQANAIBcgDE8NASAVIA5sIBJrIBcgEGxqIRogGkEATiAaIAdIcQRAIBMgBmwgGWogB2wgGmogG2whHSAWIAxsIBdqIBtsIR4gAEUEQCAEIB5qIR8gASAdaiEgBSAEIB1qIR8gAiAeaiEgC0EAIRgCQANAIBggG08NASAfIBhqIB8gGGr9AAQAICAgGGr9AAQAIBwgGGr9AAQA/eYB/eQB/QsEACAYQRBqIRgMAAsLCyAXQQFqIRcMAAsLCyAWQQFqIRYMAAsLIBwgG2ohHCAVQQFqIRUMAAsLIBRBAWohFAwACwsgE0EBaiETDAALCws=";

/** The kernels of training.wat; pointers are byte offsets into the wasm memory, sizes count floats. */
export interface TrainingKernels {
  sum_rows(x: number, rows: number, width: number, out: number, scratch: number): void;
  maxpool2x2_grad(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  atb(a: number, b: number, out: number, n: number, k1: number, k2: number): void;
  depthwise_grads(
    mode: 0 | 1, x: number, w: number, dy: number, out: number, b: number, h: number, wd: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number,
  ): void;
}

/** The kernels bound to the backend's memory, or null without WebAssembly SIMD or off wasm. */
export function trainingKernels(backend: unknown): TrainingKernels | null {
  return simdExports(TRAINING_WASM, wasmMemoryOf(backend)) as unknown as TrainingKernels | null;
}
