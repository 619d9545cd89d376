/** `lepton.fit`: the training loop. */
import * as tf from "@tensorflow/tfjs";
import { LeptonError, t } from "../i18n/index";
import { cellSignal } from "../runtime/host";
import { currentSeed, seed as seedGlobal } from "../backend/random";
import type { Callback, EpochLogs, TrainContext } from "./callbacks";
import { checkLabels, checkModelUsable, checkShapes, checkTargets } from "./check-input";
import { toXY, type FitData, type XY } from "./data-input";
import { privacySummary, type PrivacyInput } from "../data/privacy/summary";
import { History, type StopReason } from "./history";
import { checkLabelSmoothing, labelSmoothingLoss, lossByName, resolveLoss, type LossFn, type LossName } from "./losses";
import { makeDistiller, type DistillOptions, type Distiller } from "./distill";
import { getLearningRate, makeOptimizer, setLearningRate, type OptimizerName } from "./optimizer";
import { ProgressReporter, type ProgressState } from "./progress";
import { RunRecorder, type LoopState } from "./run-dir";
import { epochOrder } from "./shuffle";
import { augmentBatch, augmentStream } from "./augment-batch";
import type { Augment } from "../data/augment";
import { makeTrainStep, type TrainStep } from "../backend/step";
import { makeParallelTrainStep, type ParallelTrainStep } from "../backend/data-parallel";
import { evaluateSet } from "./validation";
import { ema as emaCallback, type EmaOptions } from "./ema";
import { calibrateBatchNorm } from "../zoo/calibrate-batch-norm";

/** Options of {@link fit}. */
export interface FitOptions {
  /** Epochs to train (in total, counting those done before a resume). Default 10. */
  epochs?: number;
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /** An optimizer, or a name ("adam", "sgd", ...). Default: the compiled model's, else Adam. */
  optimizer?: tf.Optimizer | OptimizerName;
  /** Learning rate for a named or default optimizer (also overrides a compiled one). Default 1e-3. */
  lr?: number;
  /**
   * Loss name or function. Default: the compiled model's, else the cross-entropy implied by a
   * softmax / sigmoid output. Other (regression) outputs need it.
   */
  loss?: LossName | LossFn;
  /** Data to measure after each epoch (`val_loss`, `val_accuracy`). */
  validationData?: FitData;
  /** Fraction of the training data (the last samples) kept for validation instead. */
  validationSplit?: number;
  /** Shuffle each epoch (seeded by `seed` and the epoch). Default true. */
  shuffle?: boolean;
  /**
   * Augmentation of each training batch's features (for example
   * `lepton.data.imageAugmenter({ shift: 0.1 })`), seeded by `seed` and the epoch. Validation
   * data is never augmented.
   */
  augment?: Augment;
  /** Seed of the batch order (and of the augmentation). Default 0. */
  seed?: number;
  /** Callbacks (see lepton.train for the contract and the built-in ones). */
  callbacks?: Callback[];
  /**
   * Label smoothing for classifiers, in [0, 1): train against targets moved this far towards
   * the uniform distribution (`(1 - e) * onehot + e / classes`), which discourages
   * over-confident outputs. The training `loss` is then the smoothed one; `val_loss` is not
   * smoothed. Default 0.
   *
   * @example
   * ```ts
   * await lepton.fit(model, train, { epochs: 20, labelSmoothing: 0.1 });
   * ```
   */
  labelSmoothing?: number;
  /**
   * Train with an exponential moving average of the weights and leave the average in the model:
   * the decay per step (0.999 averages over about the last 1,000 steps) or {@link EmaOptions}
   * (see `lepton.train.ema`). When training ends, the model's trainable weights become the
   * average and, if the model has batch norms, their statistics are measured again on the
   * (unaugmented) training inputs with `lepton.zoo.calibrateBatchNorm`, since the running ones
   * belong to the last weights, not to their average. The per-epoch `val_` metrics are of the
   * weights being trained; `history.ema` holds the validation metrics of the average.
   * Default: off.
   *
   * @example
   * ```ts
   * const h = await lepton.fit(model, train, { epochs: 24, ema: 0.999, validationData: val });
   * h.last.val_accuracy; // the last weights
   * h.ema?.val_accuracy; // the averaged weights, now in the model
   * ```
   */
  ema?: number | EmaOptions;
  /**
   * Knowledge distillation: train against a mix of the labels and the probabilities of one or more
   * trained teacher models on the same (augmented) batch, `(1 - alpha) * labels + alpha *
   * softmax(teacherLogits / temperature)` (several teachers: their softened probabilities
   * averaged). For softmax classifiers; a small student learns from a larger model or an
   * ensemble what the labels alone do not say (which classes a digit resembles). `labelSmoothing`
   * applies to the labels' share. The training `loss` is against these targets; `val_loss` is
   * against the labels. Default: off.
   *
   * @example
   * ```ts
   * const teacher = await lepton.zoo.load("lenet5-mnist");
   * const student = lepton.zoo.leptonNet();
   * await lepton.fit(student, train, { epochs: 20, distill: { teacher, alpha: 0.5, temperature: 2 } });
   * ```
   */
  distill?: DistillOptions;
  /**
   * Decoupled weight decay (AdamW's; fastai's `wd`): before each update, every trainable weight of
   * rank 2 or more (kernels, embeddings; not biases or batch/layer-norm scales and offsets) is
   * multiplied by `1 - lr * weightDecay`, with the learning rate of that step (schedules scale it
   * too). Unlike an L2 `kernelRegularizer`, Adam's per-weight scaling does not weaken it. Works
   * with `workers`. Default 0 (fastai uses 0.01).
   *
   * @example
   * ```ts
   * await lepton.fit(model, train, { epochs: 20, optimizer: "adam", lr: 1e-3, weightDecay: 0.01 });
   * ```
   */
  weightDecay?: number;
  /** Record the run under `runs/<run>/` (config, metrics, checkpoints). */
  run?: string;
  /** Parent folder of run folders. Default "runs". */
  runsDir?: string;
  /** Continue the run named by `run` from its last checkpoint (starts afresh when it has none yet). */
  resume?: boolean;
  /** Privacy transforms applied to the training data (`protect()`'s log or result, `detectPII()`'s report), recorded in the run's config.json. */
  privacy?: PrivacyInput;
  /**
   * Threads to train on. Above 1, each batch is split between replicas of the model on worker
   * threads and their gradients averaged (see `lepton.backend.makeParallelTrainStep`): worth it for
   * convolutional models on a machine with idle cores (the Keras MNIST CNN trained 1.4-1.7x faster
   * on 2 cores), not for small dense models, whose steps are mostly fixed cost. Takes the
   * categorical cross-entropies (one-hot or class ids) and single-input, single-output models.
   * Batch-norm statistics are the calling thread's share. Default 1.
   *
   * @example
   * ```ts
   * await lepton.fit(lepton.zoo.lenet5(), train, { epochs: 5, batchSize: 64, workers: 2 });
   * ```
   */
  workers?: number;
  /** Live progress output. Default true; `0` (off) and `1`/`2` (on) as in Keras are accepted too. */
  verbose?: boolean | 0 | 1 | 2;
  /** Stop at the next batch boundary when aborted. Default: the notebook cell's signal. */
  signal?: AbortSignal;
}

/** Whether the weights at the end of a run are worth keeping (and calibrating). */
const reasonKeepsWeights = (reason: StopReason) => reason !== "nanLoss";

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function splitValidation(train: XY, fraction: number): { train: XY; val: XY } {
  if (!(fraction > 0 && fraction < 1)) throw new LeptonError("train:badValidationSplit", { value: fraction });
  const n = train.x.shape[0];
  const nVal = Math.max(1, Math.round(n * fraction));
  const cut = n - nVal;
  const parts = [train.x.slice(0, cut), train.y.slice(0, cut), train.x.slice(cut), train.y.slice(cut)];
  return {
    train: { x: parts[0], y: parts[1], release: () => { tf.dispose(parts); train.release(); } },
    val: { x: parts[2], y: parts[3], release: () => {} },
  };
}

function chooseOptimizer(model: tf.LayersModel, opts: FitOptions): tf.Optimizer {
  let optimizer: tf.Optimizer;
  // tf.Optimizer's instanceof check reads properties, so test for an object first.
  if (typeof opts.optimizer === "object" && opts.optimizer instanceof tf.Optimizer) optimizer = opts.optimizer;
  else if (typeof opts.optimizer === "string") optimizer = makeOptimizer(opts.optimizer, opts.lr ?? 1e-3);
  else optimizer = (model as unknown as { optimizer_?: tf.Optimizer }).optimizer_ ?? makeOptimizer("adam", opts.lr ?? 1e-3);
  if (opts.lr !== undefined) setLearningRate(optimizer, opts.lr);
  return optimizer;
}

/** Whether `verbose` asks for live progress (`false` and Keras' `0` turn it off). */
export function showsProgress(verbose: FitOptions["verbose"]): boolean {
  return verbose !== false && verbose !== 0;
}

/**
 * Trains a model and returns its {@link History}.
 *
 * Data: `{x, y}` (tensors or arrays), an `[x, y]` pair, or a lepton.data split. Labels are class
 * indices (or one-hot rows) for a softmax output, 0/1 for a sigmoid output, values for regression.
 * Each epoch shuffles (seeded), takes optimisation steps batch by batch and, with validation data,
 * measures `val_loss` and `val_accuracy` over the whole validation set. Progress shows as one bar
 * updated in place and a chart of the curves. An interrupt (the cell's stop button or `signal`)
 * stops at the next batch boundary and keeps the weights and the finished epochs. A NaN loss
 * stops training with an explanation. With `run`, the run is recorded under `runs/<run>/` and
 * `resume: true` continues it exactly from its last checkpoint. With `ema`, the model ends with
 * the moving average of its weights (batch-norm statistics measured again on the training inputs).
 *
 * @example
 * ```ts
 * const { train, test } = await lepton.datasets.load("breast-cancer");
 * const model = lepton.zoo.mlp({ inputShape: 30, numClasses: 2 });
 * const history = await lepton.fit(model, train, { epochs: 20, lr: 1e-3, validationData: test,
 *   callbacks: [lepton.train.earlyStopping({ patience: 3 })], run: "bc-mlp" });
 * history; // chart of loss / val_loss / val_accuracy
 * ```
 */
export async function fit(model: tf.LayersModel, data: FitData, opts: FitOptions = {}): Promise<History> {
  checkModelUsable(model);
  const epochs = opts.epochs ?? 10;
  const batchSize = opts.batchSize ?? 32;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new LeptonError("train:badOption", { name: "epochs", value: epochs });
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new LeptonError("train:badOption", { name: "batchSize", value: batchSize });
  const workers = opts.workers ?? 1;
  if (!(Number.isInteger(workers) && workers > 0)) throw new LeptonError("train:badOption", { name: "workers", value: workers });

  let train = toXY(data, t("train:trainingData"));
  let val: XY | undefined = opts.validationData ? toXY(opts.validationData, t("train:validationData")) : undefined;
  if (!val && opts.validationSplit !== undefined) ({ train, val } = splitValidation(train, opts.validationSplit));
  const releaseAll = () => { train.release(); val?.release(); };

  // The EMA callback goes last, so that user callbacks keep their places in checkpoint state.
  const average = opts.ema !== undefined ? emaCallback(typeof opts.ema === "number" ? { decay: opts.ema } : opts.ema) : undefined;
  const callbacks = [...(opts.callbacks ?? []), ...(average ? [average] : [])];
  const history = new History();
  let ctx: TrainContext | undefined;
  let progress: ProgressState | undefined;
  let message: string | undefined;
  let ownedOptimizer: tf.Optimizer | undefined;
  let loss: ReturnType<typeof resolveLoss> | undefined;
  let finished = false;
  let parallel: ParallelTrainStep | undefined;
  const reporter = new ProgressReporter(showsProgress(opts.verbose));
  try {
    checkShapes(model, train.x, train.y, t("train:trainingData"));
    if (val) checkShapes(model, val.x, val.y, t("train:validationData"));
    loss = resolveLoss(model, train.y, opts.loss);
    checkLabels(model, train.y, loss.kind, t("train:trainingData"));
    if (val) checkLabels(model, val.y, loss.kind, t("train:validationData"));
    checkTargets(model, train.y, loss.name, t("train:trainingData"));
    if (val) checkTargets(model, val.y, loss.name, t("train:validationData"));
    if (model.trainableWeights.length === 0) throw new LeptonError("train:nothingToTrain", { name: model.name });

    const optimizer = chooseOptimizer(model, opts);
    // An optimizer fit made itself (not given, not compiled in) is disposed with its slots at the end.
    if (optimizer !== opts.optimizer && optimizer !== (model as unknown as { optimizer_?: tf.Optimizer }).optimizer_) ownedOptimizer = optimizer;
    // The backend's step adds the layers' regularisation losses and never reads the loss back.
    // Distillation builds soft targets per batch (label smoothing folded in), trained with plain cross-entropy.
    let distiller: Distiller | undefined;
    if (opts.distill !== undefined) {
      if (opts.labelSmoothing !== undefined) checkLabelSmoothing(loss.kind, opts.labelSmoothing);
      distiller = makeDistiller(model, loss.kind, opts.distill);
      // The targets replace the labels in a cross-entropy; another loss would be silently dropped.
      if (loss.name !== "categoricalCrossentropy" && loss.name !== "sparseCategoricalCrossentropy") throw new LeptonError("train:distillLoss", { loss: loss.name });
    }
    const smoothing = opts.labelSmoothing ?? 0;
    const trainLoss = distiller ? lossByName("categoricalCrossentropy") : smoothing !== 0 ? labelSmoothingLoss(loss.kind, smoothing) : loss.fn;
    let step: TrainStep = makeTrainStep(model, { optimizer, loss: trainLoss, weightDecay: opts.weightDecay });
    const seed = opts.seed ?? 0;
    const n = train.x.shape[0];
    const stepsPerEpoch = Math.ceil(n / batchSize);

    let recorder: RunRecorder | undefined;
    // With lepton.seed set, each epoch reseeds the global stream from (seed, epoch), so dropout and
    // other draws of a resumed run match an uninterrupted one.
    let baseSeed = currentSeed();
    let startEpoch = 0;
    let globalStep = 0;
    if (opts.resume && !opts.run) throw new LeptonError("train:resumeNeedsRun", {});
    if (opts.run) {
      recorder = new RunRecorder(opts.run, opts.runsDir);
      history.runDir = recorder.dir;
      if (opts.resume && recorder.hasCheckpoint()) {
        const state: LoopState = await recorder.loadCheckpoint(model, optimizer);
        startEpoch = state.epoch;
        baseSeed = (state.rng as { baseSeed?: number } | undefined)?.baseSeed ?? baseSeed;
        globalStep = state.step;
        setLearningRate(optimizer, state.learningRate);
        history.epochs.push(...state.history);
        callbacks.forEach((cb, i) => { const s = state.callbacks[i]; if (s && cb.setState) cb.setState(s); });
      } else {
        recorder.start({
          model: model.name, params: model.countParams(), epochs, batchSize, optimizer: optimizer.getClassName(),
          learningRate: getLearningRate(optimizer), loss: loss.name, seed, shuffle: opts.shuffle !== false,
          samples: n, validationSamples: val?.x.shape[0] ?? 0, backend: tf.getBackend(), createdAt: new Date().toISOString(), ...(workers > 1 ? { workers } : {}),
          ...(opts.privacy !== undefined ? { privacy: privacySummary(opts.privacy) } : {}),
          ...(opts.ema !== undefined ? { ema: opts.ema } : {}),
          ...(opts.labelSmoothing ? { labelSmoothing: opts.labelSmoothing } : {}),
          ...(opts.weightDecay ? { weightDecay: opts.weightDecay } : {}),
          ...(distiller ? { distill: distiller.describe() } : {}),
        }, true);
      }
    }

    if (workers > 1) {
      // Replicas start from the weights and optimizer state as they are now, checkpoint included.
      const named = loss.name === "categoricalCrossentropy" || loss.name === "sparseCategoricalCrossentropy";
      if (!distiller && (!named || trainLoss !== loss.fn)) throw new LeptonError("backend:parallelLoss", { loss: trainLoss === loss.fn ? loss.name : "custom" });
      // With distillation the replicas get soft targets, i.e. one-hot-like rows.
      parallel = await makeParallelTrainStep(model, { optimizer, loss: distiller ? "categoricalCrossentropy" : loss.name, replicas: workers, maxBatch: batchSize, weightDecay: opts.weightDecay });
      step = parallel;
    }
    const c: TrainContext = {
      model, optimizer, epoch: startEpoch, step: globalStep, epochs, stepsPerEpoch,
      totalSteps: epochs * stepsPerEpoch, history: history.epochs, stopTraining: false,
      get learningRate() { return getLearningRate(optimizer); },
      setLearningRate: (lr: number) => setLearningRate(optimizer, lr),
      runDir: recorder?.dir,
    };
    ctx = c;
    const signal = opts.signal ?? cellSignal();
    let reason: StopReason = "completed";
    for (const cb of callbacks) await cb.onTrainBegin?.(c);

    const started = Date.now();
    let stepsDone = 0;
    epochLoop: for (let epoch = startEpoch; epoch < epochs; epoch++) {
      c.epoch = epoch;
      if (baseSeed !== undefined) seedGlobal((baseSeed * 1009 + epoch * 7919) % 2147483647);
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, c);
      const order = epochOrder(n, seed, epoch, opts.shuffle !== false);
      const augmentRng = opts.augment ? augmentStream(seed, epoch) : undefined;
      const epochStart = Date.now();
      let running = tf.scalar(0);
      let batchesRun = 0;
      const lastMetrics = Object.fromEntries(Object.entries(history.last).filter(([k]) => k.startsWith("val_")));
      const state = (batch: number, lossValue?: number): ProgressState => {
        const elapsed = (Date.now() - epochStart) / 1000;
        const perStep = stepsDone > 0 ? (Date.now() - started) / 1000 / stepsDone : NaN;
        const left = (stepsPerEpoch - batch) + (epochs - epoch - 1) * stepsPerEpoch;
        return { epoch, epochs, batch, batches: stepsPerEpoch, loss: lossValue, metrics: lastMetrics,
          samplesPerSecond: elapsed > 0 ? Math.min(n, batch * batchSize) / elapsed : 0, etaSeconds: left * perStep };
      };
      try {
        for (let b = 0; b < stepsPerEpoch; b++) {
          if (signal?.aborted) {
            reason = "interrupted";
            message = t("train:interrupted", { epoch: epoch + 1, batch: b, batches: stepsPerEpoch, done: history.epochs.length });
            progress = state(b);
            break epochLoop;
          }
          for (const cb of callbacks) await cb.onBatchBegin?.(b, c);
          const idx = tf.tensor1d(order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), "int32");
          const gathered = tf.gather(train.x, idx);
          const xb = opts.augment && augmentRng ? augmentBatch(gathered, opts.augment, augmentRng) : gathered;
          const labels = tf.gather(train.y, idx);
          const yb = distiller ? distiller.targets(xb, labels, smoothing) : labels;
          const l = step(xb, yb);
          const next = tf.add(running, l);
          tf.dispose([idx, gathered, xb, labels, yb, l, running]);
          running = next as tf.Scalar;
          c.step++;
          stepsDone++;
          batchesRun++;
          for (const cb of callbacks) await cb.onBatchEnd?.(b, c);
          if (reporter.due() || (b + 1) % 32 === 0) {
            // Reading the loss syncs with the device, so only at display time (and every 32 batches for NaN).
            const mean = (await running.data())[0] / (b + 1);
            if (!Number.isFinite(mean)) {
              reason = "nanLoss";
              message = t("train:nanLoss", { epoch: epoch + 1, batch: b + 1, lr: getLearningRate(optimizer) });
              progress = state(b + 1, mean);
              break epochLoop;
            }
            progress = state(b + 1, mean);
            if (reporter.due()) reporter.update(progress);
          }
          if (c.stopTraining) break;
          await yieldToEventLoop();
        }
        const trainLoss = (await running.data())[0] / Math.max(1, batchesRun);
        if (!Number.isFinite(trainLoss)) {
          reason = "nanLoss";
          message = t("train:nanLoss", { epoch: epoch + 1, batch: stepsPerEpoch, lr: getLearningRate(optimizer) });
          break epochLoop;
        }
        const logs: EpochLogs = { epoch, loss: trainLoss };
        if (val) {
          const m = await evaluateSet(model, val.x, val.y, loss.fn, loss.kind, Math.max(batchSize, 256));
          for (const [k, v] of Object.entries(m)) logs[`val_${k}`] = v;
        }
        logs.lr = getLearningRate(optimizer);
        logs.time_s = (Date.now() - epochStart) / 1000;
        history.epochs.push(logs);
        for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, c);
        recorder?.recordEpoch(logs, history.epochs);
        if (recorder) {
          await recorder.saveCheckpoint(model, optimizer, {
            epoch: epoch + 1, step: c.step, learningRate: getLearningRate(optimizer), seed, history: history.epochs,
            callbacks: callbacks.map((cb) => cb.getState?.() ?? null), rng: { baseSeed },
          });
        }
        progress = { ...state(stepsPerEpoch, trainLoss), metrics: Object.fromEntries(Object.entries(logs).filter(([k]) => k.startsWith("val_"))) };
        reporter.epochEnd(progress, history);
      } finally {
        running.dispose();
      }
      if (c.stopTraining) {
        reason = c.stopReason === "earlyStopping" ? "earlyStopping" : "callback";
        message = t(`train:stopped_${reason}`, { epochs: history.epochs.length });
        break;
      }
    }
    history.stopReason = reason;
    finished = true;
    return history;
  } finally {
    try {
      if (ctx) for (const cb of callbacks) await cb.onTrainEnd?.(ctx);
      // The average is now in the model (its onTrainEnd): measure batch-norm statistics for it.
      if (finished && average && average.updates > 0 && reasonKeepsWeights(history.stopReason)) {
        if (model.layers.some((l) => l.getClassName() === "BatchNormalization")) calibrateBatchNorm(model, train.x);
        if (val && loss) {
          const m = await evaluateSet(model, val.x, val.y, loss.fn, loss.kind, Math.max(batchSize, 256));
          history.ema = Object.fromEntries(Object.entries(m).map(([k, v]) => [`val_${k}`, v]));
        }
      }
    } finally {
      releaseAll();
      await parallel?.dispose();
      ownedOptimizer?.dispose();
      if (message) {
        reporter.finish(progress, message);
        if (!showsProgress(opts.verbose) && history.stopReason === "nanLoss") process.stderr.write(message + "\n");
      }
    }
  }
}
