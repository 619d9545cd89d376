/**
 * A lean training step: forward, backward and optimizer update in one `tf.tidy`, returning the
 * loss as a tensor without reading it back.
 *
 * Why not `model.fit`/`trainOnBatch`: tfjs-layers reads the loss (and metrics) back to JavaScript
 * after every batch (`dataSync`), awaits callbacks, and slices each batch out of the whole data
 * set, which stalls the backend's queue and costs per-batch overhead. Profile on wasm, MLP
 * 784-128-10, batch 64, Adam (ms per batch): fit 15.2, trainOnBatch 9.4, this step 6.2
 * (forward 0.5, backward 2.3, Adam update 3.4), after lepton's transposed-matmul fix; before it
 * the backward pass alone took 10 ms. The Adam update is now one WebAssembly SIMD pass per
 * variable (fused-update.ts): 0.9-4.7 ms with tfjs's ops vs 0.16 ms for the MLP's weights, and
 * the whole MLP step 7.8-8.6 -> 6.9-7.1 ms (medians, same process, loaded machine).
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { applyGradientsFused } from "./fused-update";
import { lastAxisBatchNorms, withFusedBatchNorms } from "./batch-norm-step";
import { inputConvLayers, withUnfusedInputConvs } from "./input-conv";
import { softmaxCrossEntropy, softmaxDenseOutput, withLogits } from "./softmax-cross-entropy";

/** A loss: a tfjs-layers loss name or `(yTrue, yPred) => scalar`. */
export type LossSpec = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

/** An optimizer: a `tf.Optimizer` or a name ("adam", "sgd", "rmsprop", "adagrad", "adadelta", "adamax"). */
export type OptimizerSpec = tf.Optimizer | string;

/** Options of {@link makeTrainStep}. */
export interface TrainStepOptions {
  optimizer: OptimizerSpec;
  loss: LossSpec;
  /**
   * Decoupled weight decay (AdamW's, fastai's `wd`): before each update, every trainable weight of
   * rank 2 or more (kernels, embeddings; not biases or normalisation scales and offsets) becomes
   * `w * (1 - learningRate * weightDecay)`. Unlike an L2 term in the loss, Adam's per-weight scaling
   * does not weaken it. Default 0.
   */
  weightDecay?: number;
}

/**
 * One training step on a batch: returns the batch's mean loss (including regularisation) as a
 * scalar tensor that the caller owns and must dispose. Nothing is read back to JavaScript.
 */
export type TrainStep = (x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[]) => tf.Scalar;

const EPSILON = 1e-7;

function mean(t: tf.Tensor): tf.Scalar {
  return tf.mean(t) as tf.Scalar;
}

const LOSSES: Record<string, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar> = {
  // Same formulas and clipping as tfjs-layers' losses, so results match model.fit.
  categoricalCrossentropy: (t, p) => {
    const probs = tf.div(p, tf.sum(p, -1, true));
    return mean(tf.neg(tf.sum(tf.mul(t, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), -1)));
  },
  sparseCategoricalCrossentropy: (t, p) => {
    const classes = p.shape[p.shape.length - 1] as number;
    const oneHot = tf.oneHot(tf.cast(tf.reshape(t, [-1]), "int32"), classes);
    return LOSSES.categoricalCrossentropy(tf.reshape(oneHot, p.shape), p);
  },
  binaryCrossentropy: (t, p) => {
    const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    return mean(tf.neg(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))))));
  },
  meanSquaredError: (t, p) => mean(tf.squaredDifference(t, p)),
  meanAbsoluteError: (t, p) => mean(tf.abs(tf.sub(t, p))),
};
LOSSES.mse = LOSSES.meanSquaredError;
LOSSES.mae = LOSSES.meanAbsoluteError;

const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  adam: () => tf.train.adam(1e-3),
  sgd: () => tf.train.sgd(1e-2),
  rmsprop: () => tf.train.rmsprop(1e-3),
  adagrad: () => tf.train.adagrad(1e-2),
  adadelta: () => tf.train.adadelta(1),
  adamax: () => tf.train.adamax(2e-3),
};

/** Resolves a loss name or function to a function returning a scalar. */
export function resolveLoss(loss: LossSpec): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  if (typeof loss === "function") {
    // Our own formulas (lepton.fit passes them as functions) keep their identity, and with it the fused softmax cross-entropy.
    const own = Object.values(LOSSES).find((fn) => fn === loss);
    if (own) return own;
    return (t, p) => {
      const out = loss(t, p);
      if (out.rank !== 0) throw new LeptonError("backend:stepLossNotScalar", { shape: out.shape.join(", ") });
      return out as tf.Scalar;
    };
  }
  const fn = LOSSES[loss];
  if (!fn) throw new LeptonError("backend:stepUnknownLoss", { loss, known: Object.keys(LOSSES).join(", ") });
  return fn;
}

/** Resolves an optimizer name (default learning rates as in Keras) or returns the given one. */
export function resolveOptimizer(optimizer: OptimizerSpec): tf.Optimizer {
  if (typeof optimizer !== "string") return optimizer;
  const make = OPTIMIZERS[optimizer.toLowerCase()];
  if (!make) throw new LeptonError("backend:stepUnknownOptimizer", { optimizer, known: Object.keys(OPTIMIZERS).join(", ") });
  return make();
}

/**
 * Makes a training step for `model`: `step(x, y)` runs forward (training mode: dropout on,
 * batch-norm statistics updated), backward and the optimizer update, and returns the loss as a
 * scalar tensor without syncing to the CPU, so batches queue back to back. The caller disposes the
 * returned scalar (read it every few batches, not every batch). Multi-output models take arrays
 * and sum the per-output losses. Regularisation losses of the layers are added.
 *
 * Contract used by `lepton.fit`: no tensor other than the returned scalar outlives the call;
 * the trainable weight list is re-read on every call, so freezing layers between calls works.
 *
 * @example
 * ```ts
 * const step = lepton.backend.makeTrainStep(model, { optimizer: "adam", loss: "categoricalCrossentropy" });
 * for (const [x, y] of batches) {
 *   const loss = step(x, y);
 *   if (i % 50 === 0) console.log(await loss.data());
 *   loss.dispose();
 * }
 * ```
 */
export function makeTrainStep(model: tf.LayersModel, opts: TrainStepOptions): TrainStep {
  const optimizer = resolveOptimizer(opts.optimizer);
  const gradients = makeGradients(model, opts.loss);
  const decay = checkWeightDecay(opts.weightDecay);
  return (x, y) => tf.tidy(() => {
    const { value, grads } = gradients(x, y);
    if (decay > 0) decayWeights(model, optimizer, decay);
    applyGradients(optimizer, grads);
    return value;
  });
}

/** The weight decay of {@link TrainStepOptions}, checked: a finite number, at least 0 (absent: 0). */
export function checkWeightDecay(rate: number | undefined): number {
  if (rate === undefined) return 0;
  if (!(typeof rate === "number" && Number.isFinite(rate) && rate >= 0)) throw new LeptonError("backend:badWeightDecay", { value: String(rate) });
  return rate;
}

/**
 * Decoupled weight decay, one step: each trainable weight of rank 2 or more shrinks by
 * `learningRate * rate` of itself (the rate the optimizer is about to use, so schedules scale
 * the decay too, as in AdamW). 1-D weights (biases, batch and layer norm scales and offsets) are
 * left alone: decaying them only pulls a layer's outputs towards zero. Call inside `tf.tidy`,
 * before the update and after the gradients (which are of the weights before the decay).
 */
export function decayWeights(model: tf.LayersModel, optimizer: tf.Optimizer, rate: number): void {
  const keep = 1 - Number((optimizer as unknown as { learningRate: number }).learningRate) * rate;
  for (const w of model.trainableWeights) if (w.shape.length >= 2) w.write(tf.mul(w.read(), keep));
}

/** The loss of a batch and the gradients of the trainable weights, by weight name. */
export type Gradients = (x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[]) => { value: tf.Scalar; grads: tf.NamedTensorMap };

/**
 * The first half of {@link makeTrainStep}: forward in training mode and backward, with the same
 * rewrites, returning the loss and the gradients without applying them (data-parallel training
 * averages them across replicas first). Call inside `tf.tidy`.
 */
export function makeGradients(model: tf.LayersModel, loss: LossSpec): Gradients {
  const lossFn = resolveLoss(loss);
  const withRegularisers = model as unknown as { calculateLosses?: () => tf.Scalar[] };
  const inputConvs = inputConvLayers(model);
  const batchNorms = lastAxisBatchNorms(model);
  // A softmax Dense output with cross-entropy: train on the logits (softmax-cross-entropy.ts).
  const sparse = lossFn === LOSSES.sparseCategoricalCrossentropy;
  const logitsLayer = sparse || lossFn === LOSSES.categoricalCrossentropy ? softmaxDenseOutput(model) : undefined;
  return (x, y) => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length === 0) throw new LeptonError("backend:stepNoTrainable");
    return tf.variableGrads(() => {
      const forward = () => withFusedBatchNorms(batchNorms, () => withUnfusedInputConvs(inputConvs, () => model.apply(x, { training: true })));
      const out = (logitsLayer ? withLogits(logitsLayer, forward) : forward()) as tf.Tensor | tf.Tensor[];
      const preds = Array.isArray(out) ? out : [out];
      const targets = Array.isArray(y) ? y : [y];
      let total = logitsLayer ? softmaxCrossEntropy(targets[0], preds[0], sparse) : lossFn(targets[0], preds[0]);
      for (let i = 1; i < preds.length; i++) total = tf.add(total, lossFn(targets[i], preds[i]));
      for (const reg of withRegularisers.calculateLosses?.() ?? []) total = tf.add(total, reg);
      return total;
    }, vars);
  };
}

/**
 * Applies gradients: Adam / SGD / momentum on wasm in one pass per variable, else the optimizer's
 * own (applyGradientsFused first aligns the optimizer's state with the variables either way).
 */
export function applyGradients(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
  if (!applyGradientsFused(optimizer, grads)) optimizer.applyGradients(grads);
}
