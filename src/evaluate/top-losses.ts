/**
 * The examples the model gets most wrong: highest log loss first, with prediction and truth, shown
 * as an image grid for image data (fastai's plot_top_losses) or as a table otherwise.
 */
import * as tf from "@tensorflow/tfjs";
import { formatNumber, formatPercent, t } from "../i18n/index";
import type { Figure } from "../plot/figure";
import { imageGrid } from "../plot/image-grid";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { exampleLosses } from "./log-loss";
import { toLabels, toScoreRows, type LabelsLike, type ScoresLike } from "./inputs";
import { Table } from "./table";

export interface TopLossesOptions {
  /** How many examples (default 9). */
  k?: number;
  /** The inputs, [n, height, width(, channels)], to show the examples as images. */
  images?: tf.Tensor | number[][][] | number[][][][];
  /** Names of the classes. */
  classNames?: string[];
  /** Images per row in the grid (default 3 for up to 9 examples, else 5). */
  columns?: number;
}

export class TopLosses implements Displayable {
  constructor(
    /** Indices of the examples, worst first. */
    readonly indices: number[],
    /** Their log losses. */
    readonly losses: number[],
    readonly actual: number[],
    readonly predicted: number[],
    /** The probability each example gave its true class. */
    readonly probabilities: number[],
    private readonly options: TopLossesOptions,
  ) {}

  private name(label: number): string {
    return this.options.classNames?.[label] ?? String(label);
  }

  /** Captions "predicted / actual / loss / probability of actual", one per example. */
  captions(): string[] {
    return this.indices.map((_, i) => t("evaluate:topLossCaption", {
      predicted: this.name(this.predicted[i]), actual: this.name(this.actual[i]),
      loss: formatNumber(this.losses[i], { maximumFractionDigits: 2 }), prob: formatPercent(this.probabilities[i], 0),
    }));
  }

  /** The image grid (only when images were given). */
  toFigure(): Figure | undefined {
    const images = this.options.images;
    if (!images) return undefined;
    const picked = tf.tidy(() => tf.gather(images instanceof tf.Tensor ? images : tf.tensor(images as number[][][]), this.indices));
    try {
      const columns = this.options.columns ?? (this.indices.length <= 9 ? 3 : 5);
      return imageGrid({ images: picked, captions: this.captions(), columns, title: `${t("evaluate:topLossesTitle", { k: this.indices.length })}: ${t("evaluate:topLossLegend")}` });
    } finally {
      picked.dispose();
    }
  }

  toTable(): Table {
    const rows = this.indices.map((index, i) => ({
      index, predicted: this.name(this.predicted[i]), actual: this.name(this.actual[i]), loss: this.losses[i], probability: this.probabilities[i],
    }));
    return new Table([
      { key: "index", title: t("evaluate:colIndex") },
      { key: "predicted", title: t("evaluate:colPredicted") },
      { key: "actual", title: t("evaluate:colActual") },
      { key: "loss", title: t("evaluate:colLoss"), format: (v) => formatNumber(v as number, { maximumFractionDigits: 4 }) },
      { key: "probability", title: t("evaluate:colProbability"), format: (v) => formatPercent(v as number) },
    ], rows, { title: t("evaluate:topLossesTitle", { k: this.indices.length }) });
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    const fig = this.toFigure();
    return fig ? { ...fig[DISPLAY](), "text/plain": this.toString() } : this.toTable()[DISPLAY]();
  }
}

/**
 * The k examples with the highest log loss (ties keep the lower index first).
 *
 * @example
 * ```ts
 * const probs = model.predict(xTest) as tf.Tensor;
 * lepton.evaluate.topLosses(yTest, probs, { k: 9, images: xTest, classNames: digits });
 * ```
 */
export function topLosses(yTrue: LabelsLike, probs: ScoresLike, options: TopLossesOptions = {}): TopLosses {
  const labels = toLabels(yTrue, "yTrue");
  const rows = toScoreRows(probs, "probs");
  const losses = exampleLosses(labels, rows);
  const k = Math.min(options.k ?? 9, losses.length);
  const order = losses.map((_, i) => i).sort((a, b) => losses[b] - losses[a] || a - b).slice(0, k);
  const predicted = toLabels(rows, "probs");
  return new TopLosses(
    order, order.map((i) => losses[i]), order.map((i) => labels[i]), order.map((i) => predicted[i]),
    order.map((i) => rows[i][labels[i]]), options,
  );
}
