/**
 * The callback contract of {@link fit} and the built-in callbacks.
 *
 * Contract (modelled on tfjs-layers' `CustomCallbackArgs`, with a context object instead of
 * globals):
 * - Hooks are called in this order: `onTrainBegin`, then per epoch `onEpochBegin`, per batch
 *   `onBatchBegin` / `onBatchEnd`, then `onEpochEnd`, and finally `onTrainEnd` (always, also
 *   after an interrupt, a NaN loss or an error in training). Each may be async; fit awaits it.
 * - `onEpochEnd` receives the epoch's logs: `loss` (mean training loss over the epoch), and when
 *   there is validation data `val_loss` and `val_<metric>` computed over the whole validation set.
 *   Batch hooks get no loss value, because reading it would force a device sync every batch.
 * - A callback stops training by setting `ctx.stopTraining = true` (optionally `ctx.stopReason`);
 *   fit finishes the current epoch's bookkeeping and returns normally.
 * - A callback changes the learning rate only through `ctx.setLearningRate(lr)`.
 * - A callback owning tensors disposes them in `onTrainEnd`.
 * - For resumable runs, `getState()` returns JSON that `setState()` accepts; it is stored in each
 *   checkpoint and restored by `resume`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { saveModelFiles } from "../zoo/model-files";

/** Per-epoch results passed to `onEpochEnd` and kept in the History. */
export type EpochLogs = Record<string, number>;

/** What callbacks see and may change during training. */
export interface TrainContext {
  readonly model: tf.LayersModel;
  readonly optimizer: tf.Optimizer;
  /** Current epoch (0-based). */
  epoch: number;
  /** Optimisation steps taken since the start of the run (continues across resume). */
  step: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Total steps of the run (`epochs * stepsPerEpoch`). */
  readonly totalSteps: number;
  /** Logs of the epochs finished so far. */
  readonly history: EpochLogs[];
  /** Set to true to stop after the current batch. */
  stopTraining: boolean;
  /** Why training stopped (shown to the user). */
  stopReason?: string;
  /** Current learning rate of the optimizer. */
  readonly learningRate: number;
  setLearningRate(lr: number): void;
  /** Folder of the current run, when fit was given `run`. */
  readonly runDir?: string;
}

/** A training callback; every hook is optional. See the module comment for the contract. */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchBegin?(batch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
  getState?(): Record<string, unknown>;
  setState?(state: Record<string, unknown>): void;
}

/** Whether lower or higher values of a monitored quantity are better. */
export type Mode = "min" | "max" | "auto";

function better(mode: Mode, monitor: string): (a: number, b: number, delta: number) => boolean {
  const max = mode === "max" || (mode === "auto" && /acc|auc|f1|precision|recall/.test(monitor));
  return max ? (a, b, d) => a > b + d : (a, b, d) => a < b - d;
}

function monitored(logs: EpochLogs, monitor: string): number | undefined {
  const v = logs[monitor] ?? (monitor.startsWith("val_") ? logs[monitor.slice(4)] : undefined);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** Quantity to watch. Default "val_loss" (falls back to "loss" without validation data). */
  monitor?: string;
  /** Epochs without improvement before stopping. Default 3. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  mode?: Mode;
  /** Put the best epoch's weights back when training ends. Default true. */
  restoreBestWeights?: boolean;
}

/** The callback returned by {@link earlyStopping}; exposes what it saw. */
export interface EarlyStopping extends Callback {
  /** Best value seen and its epoch (0-based). */
  readonly best: number | undefined;
  readonly bestEpoch: number;
  /** Epoch at which training was stopped, or -1. */
  readonly stoppedEpoch: number;
}

/**
 * Stops training when the monitored quantity stops improving, and (by default) restores the
 * weights of the best epoch.
 *
 * @example
 * ```ts
 * await lepton.fit(model, data, { epochs: 50, validationData: val,
 *   callbacks: [lepton.train.earlyStopping({ patience: 5 })] });
 * ```
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): EarlyStopping {
  const monitor = opts.monitor ?? "val_loss";
  const patience = opts.patience ?? 3;
  const isBetter = better(opts.mode ?? "auto", monitor);
  let best: number | undefined;
  let bestEpoch = -1;
  let wait = 0;
  let stoppedEpoch = -1;
  let bestWeights: tf.Tensor[] | undefined;
  const keepBest = (model: tf.LayersModel) => {
    tf.dispose(bestWeights);
    bestWeights = model.getWeights().map((w) => tf.keep(w.clone()));
  };
  return {
    get best() { return best; },
    get bestEpoch() { return bestEpoch; },
    get stoppedEpoch() { return stoppedEpoch; },
    onEpochEnd(epoch, logs, ctx) {
      const v = monitored(logs, monitor);
      if (v === undefined) return;
      if (best === undefined || isBetter(v, best, opts.minDelta ?? 0)) {
        best = v;
        bestEpoch = epoch;
        wait = 0;
        if (opts.restoreBestWeights !== false) keepBest(ctx.model);
      } else if (++wait >= patience) {
        stoppedEpoch = epoch;
        ctx.stopTraining = true;
        ctx.stopReason = "earlyStopping";
      }
    },
    onTrainEnd(ctx) {
      if (bestWeights && opts.restoreBestWeights !== false) ctx.model.setWeights(bestWeights);
      tf.dispose(bestWeights);
      bestWeights = undefined;
    },
    getState: () => ({ best, bestEpoch, wait }),
    setState(s) {
      best = s.best as number | undefined;
      bestEpoch = s.bestEpoch as number;
      wait = s.wait as number;
    },
  };
}

/** Options of {@link modelCheckpoint}. */
export interface ModelCheckpointOptions {
  /** Folder to write `model.json` + `weights.bin` into. Default `<run folder>/checkpoints/best`. */
  dir?: string;
  monitor?: string;
  mode?: Mode;
  /** Only write when the monitored value improves. Default true. */
  saveBestOnly?: boolean;
}

/**
 * Saves the model (topology and weights) when the monitored quantity improves; the folder then
 * holds the best model so far, loadable with `tf.loadLayersModel` or lepton.zoo's loader.
 *
 * @example
 * ```ts
 * await lepton.fit(model, data, { run: "mnist", callbacks: [lepton.train.modelCheckpoint()] });
 * ```
 */
export function modelCheckpoint(opts: ModelCheckpointOptions = {}): Callback & { readonly bestEpoch: number } {
  const monitor = opts.monitor ?? "val_loss";
  const isBetter = better(opts.mode ?? "auto", monitor);
  let best: number | undefined;
  let bestEpoch = -1;
  return {
    get bestEpoch() { return bestEpoch; },
    async onEpochEnd(epoch, logs, ctx) {
      const v = monitored(logs, monitor);
      const improved = v !== undefined && (best === undefined || isBetter(v, best, 0));
      if (!improved && opts.saveBestOnly !== false) return;
      if (improved) { best = v; bestEpoch = epoch; }
      const dir = opts.dir ?? path.join(ctx.runDir ?? path.join("runs", "default"), "checkpoints", "best");
      await saveModelFiles(ctx.model, dir);
      fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify({ epoch, monitor, value: v ?? null, logs }));
    },
    getState: () => ({ best, bestEpoch }),
    setState(s) { best = s.best as number | undefined; bestEpoch = s.bestEpoch as number; },
  };
}

/** Options of {@link reduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** Multiply the rate by this on a plateau. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 2. */
  patience?: number;
  /** Never go below this rate. Default 0. */
  minLr?: number;
  /** Epochs to wait after a reduction. Default 0. */
  cooldown?: number;
  minDelta?: number;
  mode?: Mode;
}

/**
 * Lowers the learning rate when the monitored quantity stops improving.
 *
 * @example
 * ```ts
 * callbacks: [lepton.train.reduceLROnPlateau({ factor: 0.5, patience: 2 })]
 * ```
 */
export function reduceLROnPlateau(opts: ReduceLROnPlateauOptions = {}): Callback {
  const monitor = opts.monitor ?? "val_loss";
  const isBetter = better(opts.mode ?? "auto", monitor);
  let best: number | undefined;
  let wait = 0;
  let cooldown = 0;
  return {
    onEpochEnd(_epoch, logs, ctx) {
      const v = monitored(logs, monitor);
      if (v === undefined) return;
      if (cooldown > 0) cooldown--;
      if (best === undefined || isBetter(v, best, opts.minDelta ?? 0)) {
        best = v;
        wait = 0;
      } else if (cooldown === 0 && ++wait >= (opts.patience ?? 2)) {
        ctx.setLearningRate(Math.max(opts.minLr ?? 0, ctx.learningRate * (opts.factor ?? 0.1)));
        wait = 0;
        cooldown = opts.cooldown ?? 0;
      }
    },
    getState: () => ({ best, wait, cooldown }),
    setState(s) { best = s.best as number | undefined; wait = s.wait as number; cooldown = s.cooldown as number; },
  };
}
