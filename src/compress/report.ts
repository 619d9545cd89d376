/**
 * The compression report: each form of a model written to disk, loaded back with stock
 * `tf.loadLayersModel`, and measured (size on disk, accuracy, single-row latency) against the
 * float32 original, shown as a table in a notebook.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { t, formatNumber, formatPercent, LeptonError } from "../i18n/index";
import { displayWidth, escapeHtml, padText } from "../runtime/tables";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { save } from "../deploy/bundle";
import { fileIO, type ModelJson } from "../deploy/file-io";
import type { WeightDtype } from "./quantize";

/** A form of the model to measure. */
export interface CompressedForm {
  name: string;
  model: tf.LayersModel;
  quantize?: WeightDtype;
  gzip?: boolean;
  /** Save the inference graph (batch norms folded; see `lepton.save`'s `inferenceOnly`). */
  inferenceOnly?: boolean;
}

/** Options of {@link compressionReport}. */
export interface CompressionReportOptions {
  /** Evaluation inputs. */
  x: tf.Tensor;
  /** Class indices (1-D) or one-hot rows (2-D); without them accuracy is left out. */
  y?: tf.Tensor | number[];
  /** A pruned copy of the model: adds "pruned + gzip" and "pruned uint8 + gzip" rows. */
  pruned?: tf.LayersModel;
  /** Forms to measure instead of the default float32 / float16 / uint8 (and the pruned ones). */
  forms?: CompressedForm[];
  /** Where to write the forms (kept); default a temporary folder that is removed afterwards. */
  dir?: string;
  /** Timed single-row predictions per form (median reported). Default 30. */
  runs?: number;
}

/** One row of the report. */
export interface CompressionRow {
  form: string;
  /** Bytes on disk of `model.json` + weight files: everything `tf.loadLayersModel` reads. */
  bytes: number;
  /** Bytes of `model.json` alone (topology and weights manifest). */
  jsonBytes: number;
  /** Bytes of the weight files alone. */
  weightBytes: number;
  /** Bytes of the bundle's other files (`lepton.json`: labels, preprocessing, signature, provenance), not in `bytes`. */
  extraBytes: number;
  /** bytes / bytes of the first (float32) form. */
  ratio: number;
  /** weightBytes / weightBytes of the first form. */
  weightRatio: number;
  /** Top-1 accuracy on `x`/`y` (undefined without `y`). */
  accuracy?: number;
  /** Median milliseconds of one single-row prediction. */
  latencyMs: number;
}

function classIndices(y: tf.Tensor | number[]): number[] {
  if (Array.isArray(y)) return y;
  return (y.rank === 2 && y.shape[1]! > 1 ? tf.tidy(() => y.argMax(-1)) : y).arraySync() as number[];
}

function accuracy(model: tf.LayersModel, x: tf.Tensor, truth: number[]): number {
  const pred = tf.tidy(() => {
    const out = model.predict(x) as tf.Tensor;
    return (out.shape[1] === 1 ? out.greater(0.5).toInt().reshape([-1]) : out.argMax(-1)).arraySync() as number[];
  });
  return pred.filter((p, i) => p === truth[i]).length / truth.length;
}

function medianLatency(model: tf.LayersModel, x: tf.Tensor, runs: number): number {
  const row = x.slice(0, 1);
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const start = performance.now();
    tf.tidy(() => (model.predict(row) as tf.Tensor).dataSync());
    if (i >= 3) times.push(performance.now() - start);
  }
  row.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The table {@link compressionReport} returns; renders in a notebook. */
export class CompressionReport {
  constructor(readonly rows: CompressionRow[]) {}

  private headings(): string[] {
    return [t("compress:colForm"), t("compress:colSize"), t("compress:colModelJson"), t("compress:colWeights"), t("compress:colRatio"), t("compress:colExtra"), t("compress:colAccuracy"), t("compress:colLatency")];
  }

  private cells(r: CompressionRow): string[] {
    const kb = (bytes: number) => t("compress:kilobytes", { value: formatNumber(bytes / 1024, { maximumFractionDigits: 1 }) });
    return [
      r.form,
      kb(r.bytes),
      kb(r.jsonBytes),
      kb(r.weightBytes),
      t("compress:ratioPair", { total: formatPercent(r.ratio, 1), weights: formatPercent(r.weightRatio, 1) }),
      kb(r.extraBytes),
      r.accuracy === undefined ? "-" : formatPercent(r.accuracy, 2),
      t("compress:milliseconds", { value: formatNumber(r.latencyMs, { maximumFractionDigits: 3 }) }),
    ];
  }

  /** Plain-text table. */
  toString(): string {
    const table = [this.headings(), ...this.rows.map((r) => this.cells(r))];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => displayWidth(row[c]))));
    const lines = table.map((row) => row.map((cell, c) => padText(cell, widths[c], c === 0 ? "left" : "right")).join("  "));
    return [...lines, "", t("compress:sizeNote")].join("\n");
  }

  [DISPLAY](): MimeBundle {
    const esc = escapeHtml;
    // Names left, figures right, whatever the notebook's stylesheet does with table cells.
    const align = (c: number) => `text-align:${c === 0 ? "left" : "right"}`;
    const head = this.headings().map((h, c) => `<th style="${align(c)}">${esc(h)}</th>`).join("");
    const body = this.rows.map((r) => `<tr>${this.cells(r).map((v, c) => `<td style="${align(c)}">${esc(v)}</td>`).join("")}</tr>`).join("");
    return {
      "text/plain": this.toString(),
      "text/html": `<table class="lepton-compress-report"><caption>${esc(t("compress:reportTitle"))}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p>${esc(t("compress:sizeNote"))}</p>`,
    };
  }
}

/**
 * Writes the model in each compressed form, loads every form back with stock
 * `tf.loadLayersModel`, and reports size on disk, accuracy and single-row latency against float32.
 *
 * @example
 * ```ts
 * const pruned = await lepton.zoo.load("leptonnet-mnist"); // a copy to prune
 * await lepton.compress.prune(pruned, { sparsity: 0.7, fineTune: { x, y, epochs: 1 } });
 * await lepton.compress.compressionReport(model, { x: xTest, y: yTest, pruned });
 * ```
 */
export async function compressionReport(model: tf.LayersModel, options: CompressionReportOptions): Promise<CompressionReport> {
  if (!(options?.x instanceof tf.Tensor)) throw new LeptonError("compress:reportNeedsX");
  const forms: CompressedForm[] = options.forms ?? [
    { name: "float32", model },
    { name: "float16", model, quantize: "float16" },
    { name: "uint8", model, quantize: "uint8" },
    ...(options.pruned
      ? [
          { name: t("compress:formPrunedGzip"), model: options.pruned, gzip: true },
          { name: t("compress:formPrunedUint8Gzip"), model: options.pruned, quantize: "uint8" as const, gzip: true },
        ]
      : []),
  ];
  const root = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lepton-compress-"));
  const truth = options.y === undefined ? undefined : classIndices(options.y);
  const rows: CompressionRow[] = [];
  try {
    for (const [i, form] of forms.entries()) {
      const dir = path.join(root, `${i}-${form.name.replace(/[^A-Za-z0-9_.-]+/g, "_")}`);
      await save(form.model, dir, { flat: true, quantize: form.quantize, gzip: form.gzip, inferenceOnly: form.inferenceOnly });
      const fileBytes = (f: string) => fs.statSync(path.join(dir, f)).size;
      const json = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8")) as ModelJson;
      const weightFiles = new Set(json.weightsManifest.flatMap((g) => g.paths));
      const weightBytes = [...weightFiles].reduce((n, f) => n + fileBytes(f), 0);
      const jsonBytes = fileBytes("model.json");
      const bytes = weightBytes + jsonBytes;
      const extraBytes = fs.readdirSync(dir).filter((f) => f !== "model.json" && !weightFiles.has(f)).reduce((n, f) => n + fileBytes(f), 0);
      const loaded = await tf.loadLayersModel(fileIO(dir));
      rows.push({
        form: form.name,
        bytes,
        jsonBytes,
        weightBytes,
        extraBytes,
        ratio: rows.length ? bytes / rows[0].bytes : 1,
        weightRatio: rows.length ? weightBytes / rows[0].weightBytes : 1,
        ...(truth ? { accuracy: accuracy(loaded, options.x, truth) } : {}),
        latencyMs: medianLatency(loaded, options.x, options.runs ?? 30),
      });
      loaded.dispose();
    }
  } finally {
    if (!options.dir) fs.rmSync(root, { recursive: true, force: true });
  }
  return new CompressionReport(rows);
}
