/**
 * An exponential moving average (EMA) of the weights during training, put into the model when
 * training ends. The average of the last few hundred steps usually sits nearer the middle of the
 * valley the optimizer wanders in than the last step does (Polyak averaging; the EMA of timm and
 * of TensorFlow's `ExponentialMovingAverage`).
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import type { Callback, TrainContext } from "./callbacks";

/** Options of {@link ema}. */
export interface EmaOptions {
  /**
   * Weight kept per optimisation step, in (0, 1): `average = decay * average + (1 - decay) * weight`
   * after every batch. 0.999 averages over about the last 1,000 steps, 0.99 over the last 100.
   */
  decay: number;
  /**
   * Use `min(decay, (1 + n) / (10 + n))` for the n-th update, so that the initial weights do not
   * linger in the average of a short run (as timm does). Default true.
   */
  warmup?: boolean;
  /**
   * Put the averaged weights into the model when training ends. Default true. With false the
   * averages stay available from `averages()` after training, until `dispose()`.
   */
  apply?: boolean;
}

/** The callback returned by {@link ema}. */
export interface WeightAverage extends Callback {
  /** Updates made so far (optimisation steps seen). */
  readonly updates: number;
  /** Copies of the averaged values, in the order of `model.trainableWeights` when training began (the caller disposes them). */
  averages(): tf.Tensor[];
  /** Names of the averaged weights (`LayerVariable.name`), in the order of {@link WeightAverage.averages}. */
  readonly names: string[];
  /** Frees the averages (done by `onTrainEnd` unless `apply` is false). */
  dispose(): void;
}

/** The decay used for the `n`-th update (0-based). */
export function emaDecay(decay: number, n: number, warmup = true): number {
  return warmup ? Math.min(decay, (1 + n) / (10 + n)) : decay;
}

/**
 * A callback keeping an exponential moving average of the model's trainable weights, updated
 * after every batch, and (by default) putting the averages into the model in `onTrainEnd`, unless
 * some average is not finite (a run that ended in NaN keeps its weights). Non-trainable weights
 * (batch-norm moving statistics) are not averaged: they belong to the last weights, not to the
 * average, so measure them again afterwards with `lepton.zoo.calibrateBatchNorm(model, x)`, or
 * use fit's `ema` option, which does both. Resumable: the averages are part of its state (as
 * numbers, so the checkpoint grows by the model's size in JSON).
 *
 * @example
 * ```ts
 * const average = lepton.train.ema({ decay: 0.999 });
 * await lepton.fit(model, train, { epochs: 20, callbacks: [average] });
 * lepton.zoo.calibrateBatchNorm(model, train.x); // only needed when the model has batch norms
 * ```
 */
export function ema(opts: EmaOptions): WeightAverage {
  if (!(typeof opts?.decay === "number" && opts.decay > 0 && opts.decay < 1)) throw new LeptonError("train:badEmaDecay", { value: opts?.decay });
  const warmup = opts.warmup !== false;
  let vars: tf.LayerVariable[] = [];
  let avg: tf.Variable[] = [];
  let updates = 0;
  let restored: { updates: number; values: number[][] } | undefined;
  const release = () => { tf.dispose(avg); avg = []; };
  // A variable with its own buffer (wasm's fused optimizer updates write weights in place).
  const own = (make: () => tf.Tensor) => { const t = tf.tidy(() => tf.mul(make(), 1)); const v = tf.variable(t, false); t.dispose(); return v; };
  return {
    get updates() { return updates; },
    get names() { return vars.map((v) => v.name); },
    averages: () => avg.map((a) => a.clone()),
    onTrainBegin(ctx: TrainContext) {
      release();
      vars = ctx.model.trainableWeights;
      if (restored && restored.values.length === vars.length) {
        const values = restored.values;
        avg = vars.map((v, i) => own(() => tf.tensor(values[i], v.shape as number[], "float32")));
        updates = restored.updates;
      } else {
        avg = vars.map((v) => own(() => v.read()));
        updates = 0;
      }
      restored = undefined;
    },
    onBatchEnd() {
      const d = emaDecay(opts.decay, updates, warmup);
      tf.tidy(() => {
        avg.forEach((a, i) => a.assign(tf.add(tf.mul(a, d), tf.mul(vars[i].read(), 1 - d))));
      });
      updates++;
    },
    onTrainEnd() {
      if (opts.apply !== false && updates > 0) {
        const finite = tf.tidy(() => avg.every((a) => tf.all(tf.isFinite(a)).dataSync()[0] === 1));
        if (finite) tf.tidy(() => avg.forEach((a, i) => vars[i].write(a.clone())));
      }
      if (opts.apply !== false) release();
    },
    dispose: release,
    getState: () => ({ updates, values: avg.map((a) => Array.from(a.dataSync())) }),
    setState(s) {
      restored = { updates: s.updates as number, values: s.values as number[][] };
    },
  };
}
