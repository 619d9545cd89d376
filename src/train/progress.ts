/**
 * Live training output. In a notebook: one progress output updated in place (rate-limited) and one
 * chart updated at each epoch end. Without a notebook: a single line rewritten in place on a TTY,
 * or one line per epoch when stdout is not a terminal (logs, CI).
 */
import { currentHost, newDisplayId, type MimeBundle } from "../runtime/host";
import { t, formatNumber } from "../i18n/index";
import type { Figure } from "../plot/figure";
import type { History } from "./history";

/** What the progress line shows. */
export interface ProgressState {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean training loss of the epoch so far (undefined until first read). */
  loss?: number;
  /** Last epoch's validation metrics (`val_loss`, `val_accuracy`, ...). */
  metrics: Record<string, number>;
  samplesPerSecond: number;
  etaSeconds: number;
}

const fmt = (v: number) => formatNumber(v, { maximumFractionDigits: 4 });

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The progress line as plain text. */
export function progressText(p: ProgressState): string {
  const width = 20;
  const done = p.batches > 0 ? p.batch / p.batches : 0;
  const filled = Math.round(done * width);
  const bar = "[" + "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1)) + "]";
  const parts = [
    t("train:progressEpoch", { epoch: p.epoch + 1, epochs: p.epochs }),
    `${bar} ${p.batch}/${p.batches}`,
    p.loss !== undefined ? t("train:progressLoss", { loss: fmt(p.loss) }) : "",
    ...Object.entries(p.metrics).map(([k, v]) => `${k} ${fmt(v)}`),
    t("train:progressRate", { rate: formatNumber(Math.round(p.samplesPerSecond)) }),
    t("train:progressEta", { eta: duration(p.etaSeconds) }),
  ];
  return parts.filter(Boolean).join("  ");
}

function progressBundle(p: ProgressState, note?: string): MimeBundle {
  const text = progressText(p) + (note ? `\n${note}` : "");
  const pct = p.batches > 0 ? Math.round((100 * p.batch) / p.batches) : 0;
  const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);
  const html =
    `<div style="font-family:monospace"><progress value="${pct}" max="100" style="width:200px;vertical-align:middle"></progress> ` +
    `${esc(progressText(p))}${note ? `<br><b>${esc(note)}</b>` : ""}</div>`;
  return { "text/plain": text, "text/html": html };
}

/** Drives the live output of one fit call. */
export class ProgressReporter {
  private readonly displayId = newDisplayId("lepton-fit");
  private shown = false;
  private lastUpdate = 0;
  private chart?: Figure;
  private readonly tty = !!process.stdout.isTTY;

  constructor(
    private readonly enabled: boolean,
    /** Minimum milliseconds between two updates of the progress output. */
    readonly intervalMs = 250,
  ) {}

  /** True when an update is due (callers read the loss only then, to avoid device syncs). */
  due(now = Date.now()): boolean {
    return this.enabled && now - this.lastUpdate >= this.intervalMs;
  }

  /** Updates the progress output (in place). */
  update(p: ProgressState, note?: string): void {
    if (!this.enabled) return;
    this.lastUpdate = Date.now();
    const host = currentHost();
    if (host) {
      host.display(progressBundle(p, note), { displayId: this.displayId, update: this.shown });
      this.shown = true;
    } else if (this.tty) {
      process.stdout.write(`\r\x1b[2K${progressText(p)}`);
    }
  }

  /** Epoch end: final state of the line and the chart (notebook) or one log line (no TTY). */
  epochEnd(p: ProgressState, history: History): void {
    if (!this.enabled) return;
    const host = currentHost();
    if (host) {
      this.update(p);
      const fig = history.chart();
      if (!this.chart) {
        this.chart = fig;
        fig.show();
      } else {
        this.chart.update(fig);
      }
    } else if (this.tty) {
      process.stdout.write(`\r\x1b[2K${progressText(p)}\n`);
    } else {
      process.stdout.write(`${progressText(p)}\n`);
    }
  }

  /** A closing message (interrupt, NaN, early stop), shown under the bar. */
  finish(p: ProgressState | undefined, message: string | undefined): void {
    if (!this.enabled) return;
    const host = currentHost();
    if (host && p) this.update(p, message);
    else if (host && message) host.display({ "text/plain": message });
    else if (message) process.stdout.write(`${this.tty ? "\r\x1b[2K" : ""}${message}\n`);
  }
}
