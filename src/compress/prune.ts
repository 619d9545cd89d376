/**
 * Magnitude pruning: the smallest weights of each kernel are set to zero until the target
 * sparsity is reached; fine-tuning then recovers accuracy while the masks keep pruned weights at
 * zero (they are re-applied after every batch). Zeros compress well: save with `gzip: true`.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { cellSignal } from "../runtime/host";

/** Fine-tuning data for {@link prune}: a few epochs of `model.fit` (the model must be compiled). */
export interface FineTuneData {
  x: tf.Tensor | tf.Tensor[];
  y: tf.Tensor | tf.Tensor[];
  epochs?: number;
  batchSize?: number;
}

/** Options of {@link prune}. */
export interface PruneOptions {
  /** Fraction of each kernel's weights set to zero, in [0, 1). */
  sparsity: number;
  /** Which weights to prune. Default: kernels (rank >= 2), not biases or normalisation. */
  include?: (weight: tf.LayerVariable) => boolean;
  /**
   * Fine-tune after pruning: either data for a few epochs of `model.fit`, or your own loop,
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

/**
 * Prunes a model in place to a target sparsity by weight magnitude, optionally fine-tuning with
 * the masks held. Save the result with `lepton.save(model, dir, {gzip: true})` (or `quantize:
 * "uint8"` too) for a small file.
 *
 * @example
 * ```ts
 * const result = await lepton.compress.prune(model, { sparsity: 0.8, fineTune: { x, y, epochs: 2 } });
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
  const masks = targets.map((w) => tf.tensor(magnitudeMask(w.read().dataSync() as Float32Array, sparsity), w.read().shape));
  const reapply = () =>
    tf.tidy(() => {
      targets.forEach((w, i) => w.write(tf.mul(w.read(), masks[i])));
    });
  reapply();

  const fineTune = options.fineTune;
  if (typeof fineTune === "function") await fineTune(model, reapply);
  else if (fineTune) {
    if (!model.optimizer) throw new LeptonError("compress:notCompiled");
    await model.fit(fineTune.x, fineTune.y, {
      epochs: fineTune.epochs ?? 2,
      batchSize: fineTune.batchSize ?? 32,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          reapply();
          // Stop cleanly when the notebook cell is interrupted; the weights stay pruned.
          if (cellSignal()?.aborted) model.stopTraining = true;
        },
      },
    });
  }
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
