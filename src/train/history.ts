/** The record of a training run, displayable as a loss/metric chart. */
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { t, formatNumber } from "../i18n/index";
import { line } from "../plot/line";
import type { Figure } from "../plot/figure";
import type { EpochLogs } from "./callbacks";

/** Why a run ended. */
export type StopReason = "completed" | "earlyStopping" | "interrupted" | "nanLoss" | "callback";

/**
 * What {@link fit} returns: per-epoch logs (`loss`, `val_loss`, `val_accuracy`, `lr`, `time_s`),
 * how the run ended and where its files are. Shows as a chart of the curves in a notebook.
 *
 * @example
 * ```ts
 * const h = await lepton.fit(model, train, { epochs: 5, validationData: test });
 * h.last.val_accuracy; h.series("loss"); h; // chart
 * ```
 */
export class History {
  constructor(
    /** One entry per finished epoch (epoch numbers are `epochs[i].epoch`, 0-based). */
    readonly epochs: EpochLogs[] = [],
    /** How the run ended. */
    public stopReason: StopReason = "completed",
    /** Run folder, when the run was recorded. */
    public runDir?: string,
  ) {}

  /**
   * With fit's `ema` option and validation data: the validation metrics (`val_loss`,
   * `val_accuracy`) of the averaged weights that fit left in the model.
   */
  ema?: EpochLogs;

  /** Logs of the last finished epoch (empty before the first). */
  get last(): EpochLogs {
    return this.epochs[this.epochs.length - 1] ?? {};
  }

  /** One quantity over the epochs (`NaN` where an epoch lacks it). */
  series(name: string): number[] {
    return this.epochs.map((e) => (typeof e[name] === "number" ? e[name] : NaN));
  }

  /** Names of the curves recorded (losses and metrics). */
  get keys(): string[] {
    const skip = new Set(["epoch", "lr", "time_s", "samples"]);
    return [...new Set(this.epochs.flatMap((e) => Object.keys(e)))].filter((k) => !skip.has(k));
  }

  /** The loss and metric curves as a figure. */
  chart(): Figure {
    const y: Record<string, number[]> = {};
    for (const k of this.keys) y[k] = this.series(k);
    return line({ x: this.epochs.map((e) => e.epoch + 1), y, title: t("train:chartTitle"), xLabel: t("train:epochLabel"), yLabel: t("train:valueLabel") });
  }

  /** A plain table of the epochs. */
  toString(): string {
    const keys = this.keys;
    const head = [t("train:epochLabel"), ...keys].join("\t");
    const rows = this.epochs.map((e) => [String(e.epoch + 1), ...keys.map((k) => (typeof e[k] === "number" ? formatNumber(e[k], { maximumFractionDigits: 4 }) : "-"))].join("\t"));
    return [head, ...rows, t(`train:stopped_${this.stopReason}`, { epochs: this.epochs.length })].join("\n");
  }

  toJSON(): { epochs: EpochLogs[]; stopReason: StopReason; runDir?: string; ema?: EpochLogs } {
    return { epochs: this.epochs, stopReason: this.stopReason, runDir: this.runDir, ...(this.ema ? { ema: this.ema } : {}) };
  }

  [DISPLAY](): MimeBundle {
    if (this.epochs.length === 0) return { "text/plain": this.toString() };
    return { ...this.chart()[DISPLAY](), "text/plain": this.toString() };
  }
}
