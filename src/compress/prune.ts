/**
 * Magnitude pruning: the smallest weights of each kernel are set to zero until the target
 * sparsity is reached; fine-tuning then recovers accuracy while the masks keep pruned weights at
 * zero (they are re-applied after every batch). Zeros compress well: save with `gzip: true`.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { cellSignal } from "../runtime/host";
import { fit } from "../train/fit";
import { resolveLoss, type LossFn, type LossName } from "../train/losses";
import type { OptimizerName } from "../train/optimizer";

/**
 * Fine-tuning data for {@link prune}: a few epochs of `lepton.fit` with the masks re-applied after
 * every batch. The model need not be compiled: the loss comes from `loss`, else the compiled one,
 * else the cross-entropy a softmax / sigmoid output implies (other outputs need `loss`).
 */
export interface FineTuneData {
  x: tf.Tensor | tf.Tensor[];
  y: tf.Tensor | tf.Tensor[];
  epochs?: number;
  batchSize?: number;
  /** Loss name or function. Default: the compiled model's, else implied by a softmax / sigmoid output. */
  loss?: LossName | LossFn;
  /** Optimizer or its name. Default: the compiled model's, else Adam. */
  optimizer?: tf.Optimizer | OptimizerName;
  /** Learning rate of a named or default optimizer. Default 1e-3 (fine-tuning: keep it small). */
  lr?: number;
  /** Seed of the batch order. Default 0. */
  seed?: number;
}

/** Options of {@link prune}. */
export interface PruneOptions {
  /** Fraction of each kernel's weights set to zero, in [0, 1). */
  sparsity: number;
  /** Which weights to prune. Default: kernels (rank >= 2), not biases or normalisation. */
  include?: (weight: tf.LayerVariable) => boolean;
  /**
   * Fine-tune after pruning: either data for a few epochs of `lepton.fit` (compiled or not), or your own loop,
   * which gets `reapply()` to call after each batch so pruned weights stay zero.
   */
  fineTune?: FineTuneData | ((model: tf.LayersModel, reapply: () => void) => Promise<void>);
}

/** What {@link prune} did, per weight and overall. */
export interface PruneResult {
  /** Zero fraction of the pruned weights, after fine-tuning. */
  sparsity: number;
  /** Per pruned weight: name, size and zero fraction. */
  weights: { name: string; size: number; sparsity: number }[];
  /** Sets the pruned weights to zero again (call it after each batch of further training). */
  reapply(): void;
  /** Releases the masks (then `reapply` must not be called). */
  dispose(): void;
}

const defaultInclude = (w: tf.LayerVariable) => w.shape.length >= 2 && w.trainable;

function magnitudeMask(values: Float32Array, sparsity: number): Float32Array {
  const k = Math.floor(values.length * sparsity);
  const mask = new Float32Array(values.length).fill(1);
  if (k === 0) return mask;
  // Sort indices by |w| and drop the k smallest (exactly k, even with ties).
  const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[a]) - Math.abs(values[b]));
  for (let i = 0; i < k; i++) mask[order[i]] = 0;
  return mask;
}

function zeroFraction(v: tf.LayerVariable): number {
  const values = v.read().dataSync();
  let zeros = 0;
  for (const x of values) if (x === 0) zeros++;
  return zeros / values.length;
}

function checkFineTuneData(model: tf.LayersModel, data: FineTuneData): void {
  if (Array.isArray(data.x) || Array.isArray(data.y)) {
    // Several inputs or outputs: tfjs's own fit, which needs the model compiled.
    if (!model.optimizer) throw new LeptonError("compress:notCompiled");
    return;
  }
  try {
    resolveLoss(model, data.y, data.loss);
  } catch (e) {
    if (e instanceof LeptonError && e.code === "train:notCompiled") throw new LeptonError("compress:fineTuneNeedsLoss", { output: outputActivation(model) });
    throw e;
  }
}

function outputActivation(model: tf.LayersModel): string {
  const last = model.outputs[0]?.sourceLayer?.getConfig() as { activation?: unknown } | undefined;
  return typeof last?.activation === "string" ? last.activation : "linear";
}

async function fineTuneWithData(model: tf.LayersModel, data: FineTuneData, reapply: () => void): Promise<void> {
  const epochs = data.epochs ?? 2;
  const batchSize = data.batchSize ?? 32;
  if (Array.isArray(data.x) || Array.isArray(data.y)) {
    await model.fit(data.x, data.y, {
      epochs,
      batchSize,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          reapply();
          // Stop cleanly when the notebook cell is interrupted; the weights stay pruned.
          if (cellSignal()?.aborted) model.stopTraining = true;
        },
      },
    });
    return;
  }
  // lepton.fit: the lean training step, compiled or not; it stops at a batch boundary when the
  // cell is interrupted, and the masks are re-applied after every batch.
  await fit(model, { x: data.x, y: data.y }, {
    epochs,
    batchSize,
    loss: data.loss,
    optimizer: data.optimizer,
    lr: data.lr,
    seed: data.seed,
    verbose: false,
    callbacks: [{ onBatchEnd: () => reapply() }],
  });
}

/**
 * Prunes a model in place to a target sparsity by weight magnitude, optionally fine-tuning with
 * the masks held. Save the result with `lepton.save(model, dir, {gzip: true})` (or `quantize:
 * "uint8"` too) for a small file.
 *
 * @example
 * ```ts
 * // Compiled or not: the loss comes from `loss`, model.compile, or a softmax / sigmoid output.
 * const result = await lepton.compress.prune(model, { sparsity: 0.8, fineTune: { x, y, epochs: 2, lr: 1e-3 } });
 * result.sparsity; // 0.8
 * await lepton.save(model, "models", { name: "pruned", gzip: true });
 * ```
 */
export async function prune(model: tf.LayersModel, options: PruneOptions): Promise<PruneResult> {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("compress:notAModel", { got: typeof model });
  const { sparsity } = options;
  if (!(typeof sparsity === "number" && sparsity >= 0 && sparsity < 1)) throw new LeptonError("compress:badSparsity", { sparsity: String(sparsity) });
  const include = options.include ?? defaultInclude;
  const targets = model.weights.filter(include);
  if (targets.length === 0) throw new LeptonError("compress:nothingToPrune");
  const fineTune = options.fineTune;
  // Say which loss is missing before any weight changes: a failed call leaves the model as it was.
  if (fineTune && typeof fineTune !== "function") checkFineTuneData(model, fineTune);
  const masks = targets.map((w) => tf.tensor(magnitudeMask(w.read().dataSync() as Float32Array, sparsity), w.read().shape));
  const reapply = () =>
    tf.tidy(() => {
      targets.forEach((w, i) => w.write(tf.mul(w.read(), masks[i])));
    });
  reapply();

  if (typeof fineTune === "function") await fineTune(model, reapply);
  else if (fineTune) await fineTuneWithData(model, fineTune, reapply);
  reapply();
  const weights = targets.map((w) => ({ name: w.name, size: w.read().size, sparsity: zeroFraction(w) }));
  const total = weights.reduce((n, w) => n + w.size, 0);
  const result: PruneResult = {
    sparsity: weights.reduce((n, w) => n + w.sparsity * w.size, 0) / total,
    weights,
    reapply,
    dispose: () => tf.dispose(masks),
  };
  return result;
}
