/** Two-stage fine-tuning: the head first, then every layer at a lower rate. */
import type * as tf from "@tensorflow/tfjs";
import { fit, showsProgress, type FitOptions } from "../train/fit";
import type { History } from "../train/history";
import type { FitData } from "../train/data-input";
import { t } from "../i18n/index";
import { show } from "../runtime/host";
import { freeze, unfreeze, type LayerSelector } from "./transfer";

/** Options of {@link fineTune}: fit options plus the two stages' epochs and rates. */
export interface FineTuneOptions extends Omit<FitOptions, "epochs" | "lr" | "resume" | "optimizer"> {
  /** Epochs of stage 1 (head only). Default 3. */
  headEpochs?: number;
  /** Epochs of stage 2 (all layers). Default 5. */
  epochs?: number;
  /** Learning rate of stage 1. Default 1e-3. */
  lr?: number;
  /** Stage 2 rate = `lr * lrRatio`. Default 0.1. */
  lrRatio?: number;
  /** The layers trained in stage 1. Default "head". */
  head?: LayerSelector;
}

/**
 * Fine-tunes a (pretrained) model in two stages: (1) freeze everything but the head and train it;
 * (2) unfreeze all layers and train them together at a lower learning rate. Returns both
 * histories. Each stage uses a fresh Adam optimizer.
 *
 * @example
 * ```ts
 * const base = await lepton.zoo.load("leptonnet-mnist");
 * const model = lepton.zoo.replaceHead(base, { numClasses: 5 });
 * const { head, all } = await lepton.zoo.fineTune(model, few, { headEpochs: 5, epochs: 10, lr: 3e-3 });
 * ```
 */
export async function fineTune(model: tf.LayersModel, data: FitData, opts: FineTuneOptions = {}): Promise<{ head: History; all: History }> {
  const lr = opts.lr ?? 1e-3;
  const headEpochs = opts.headEpochs ?? 3;
  const epochs = opts.epochs ?? 5;
  const { head: headSel, lrRatio, headEpochs: _h, ...fitOpts } = opts;
  const verbose = showsProgress(opts.verbose);
  freeze(model);
  unfreeze(model, headSel ?? "head");
  if (verbose) show({ "text/plain": t("zoo:fineTuneHead", { epochs: headEpochs, lr }) });
  let head: History;
  try {
    head = await fit(model, data, { ...fitOpts, epochs: headEpochs, lr, optimizer: "adam", run: opts.run ? `${opts.run}-head` : undefined });
  } finally {
    unfreeze(model);
  }
  if (head.stopReason === "interrupted" || head.stopReason === "nanLoss") return { head, all: head };
  const lr2 = lr * (lrRatio ?? 0.1);
  if (verbose) show({ "text/plain": t("zoo:fineTuneAll", { epochs, lr: lr2 }) });
  const all = await fit(model, data, { ...fitOpts, epochs, lr: lr2, optimizer: "adam" });
  return { head, all };
}
