/**
 * lepton.backend: compute backend choice and report, wasm training kernels, seeding and the lean
 * training step.
 *
 * @example
 * ```ts
 * const report = await lepton.backend.ready(); // gpu -> node -> wasm -> cpu, or LEPTON_BACKEND
 * lepton.env();
 * lepton.seed(42);
 * ```
 */
export { activeBackend, ready, plannedBackend, currentBackend, requestedBackend, BACKEND_ORDER } from "./resolve";
export type { BackendName, BackendReport, SkippedBackend, ReadyOptions } from "./resolve";
export { env, EnvReport } from "./report";
export type { EnvInfo } from "./report";
export { seed, rng, nextSeed, currentSeed, streamFromSeed } from "./random";
export type { RandomStream } from "./random";
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from "./kernels/register";
export { makeTrainStep, resolveLoss, resolveOptimizer } from "./step";
export { makeParallelTrainStep } from "./data-parallel";
export type { ParallelStepOptions, ParallelTrainStep } from "./data-parallel";
export { applyGradientsFused } from "./fused-update";
export { softmaxCrossEntropy } from "./softmax-cross-entropy";
export type { TrainStep, TrainStepOptions, LossSpec, OptimizerSpec } from "./step";
