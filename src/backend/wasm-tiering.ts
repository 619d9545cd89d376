/**
 * V8 compiles WebAssembly twice: first with its baseline compiler (Liftoff), then, under dynamic
 * tiering, a function gets the optimising compiler (TurboFan) only after it has used up an
 * execution budget. Training calls a few long-running functions (XNNPACK's convolutions, gemm.wat)
 * a handful of times per step, so they stay on baseline code for hundreds of steps: the MLP
 * 784-128-10's step measured 2.1-2.4 ms after 2,000 steps with dynamic tiering and 1.56-1.67 ms
 * with every function tiered up in the background right after instantiation (the flag below),
 * with no measurable change in backend start-up.
 */
import * as v8 from "node:v8";

let applied = false;

/**
 * Asks V8 to optimise every WebAssembly function in the background as soon as its module is
 * compiled, instead of waiting for it to run hot. Call before the module is compiled; later
 * modules are affected too, earlier ones are not. `LEPTON_WASM_TIERING=dynamic` keeps V8's default.
 *
 * @example
 * ```ts
 * eagerWasmTierUp(); // then load tfjs-backend-wasm
 * ```
 */
export function eagerWasmTierUp(): void {
  if (applied || process.env.LEPTON_WASM_TIERING === "dynamic") return;
  applied = true;
  v8.setFlagsFromString("--no-wasm-dynamic-tiering");
}
