/**
 * `lepton.run`: run notebooks headless with parameters, papermill-style (`npx lepton run` on the
 * command line).
 *
 * @example
 * ```ts
 * const result = await lepton.run.runNotebook("notebooks/02-training.ipynb", { parameters: { epochs: 1 }, output: "/tmp/out.ipynb" });
 * result.record.seed; // the seed the run used
 * ```
 *
 * @module
 */
export { runNotebook } from "./runner";
export type { RunOptions, RunResult, RunRecord, RunFailure, CellEvent } from "./runner";
export { parseParameterValue, parameterDefaults, injectedSource, typeOfValue } from "./parameters";
export type { ParameterDefault, InjectedParameter } from "./parameters";
