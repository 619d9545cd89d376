/**
 * lepton.train: the training loop and its parts.
 *
 * @example
 * ```ts
 * const history = await lepton.fit(model, train, { epochs: 10, validationData: test,
 *   callbacks: [lepton.train.earlyStopping(), lepton.train.oneCycle({ maxLr: 1e-2 })], run: "exp1" });
 * ```
 */
export { fit } from "./fit";
export type { FitOptions } from "./fit";
export { lrFind, LrFinderResult } from "./lr-find";
export type { LrFindOptions } from "./lr-find";
export { History } from "./history";
export type { StopReason } from "./history";
export { earlyStopping, modelCheckpoint, reduceLROnPlateau } from "./callbacks";
export type { Callback, TrainContext, EpochLogs, EarlyStopping, EarlyStoppingOptions, ModelCheckpointOptions, ReduceLROnPlateauOptions, Mode } from "./callbacks";
export { stepDecay, cosine, oneCycle } from "./schedules";
export { ema, emaDecay } from "./ema";
export type { EmaOptions, WeightAverage } from "./ema";
export type { DistillOptions } from "./distill";
export type { Schedule } from "./schedules";
export { lossByName } from "./losses";
export type { LossFn, LossName, LabelKind } from "./losses";
export type { FitData } from "./data-input";
export { RunRecorder } from "./run-dir";
export type { LoopState } from "./run-dir";
