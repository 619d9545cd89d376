/**
 * Instantiates lepton's hand-written WebAssembly SIMD modules (adam.wat, training.wat) on
 * tfjs-backend-wasm's own memory, so that they read and write tensors in place. One instance per
 * (module, memory); null where the module cannot be built (no WebAssembly SIMD): callers then
 * keep their JavaScript or tfjs path.
 */

const instances = new Map<string, Map<WebAssembly.Memory, WebAssembly.Exports | null>>();

/** The exports of the module in `base64`, bound to `memory`, or null when unavailable. */
export function simdExports(base64: string, memory: WebAssembly.Memory | undefined): WebAssembly.Exports | null {
  if (!memory) return null;
  let byMemory = instances.get(base64);
  if (!byMemory) instances.set(base64, (byMemory = new Map()));
  let exports = byMemory.get(memory);
  if (exports === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(base64, "base64"));
      exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } catch {
      exports = null;
    }
    byMemory.set(memory, exports);
  }
  return exports;
}

/** The wasm backend's memory, when the active backend is tfjs-backend-wasm. */
export function wasmMemoryOf(backend: unknown): WebAssembly.Memory | undefined {
  return (backend as { wasm?: { asm?: { memory?: WebAssembly.Memory } } }).wasm?.asm?.memory;
}
