/** `summary(model)`: a displayable table of layers, output shapes, parameters and FLOPs. */
import * as tf from "@tensorflow/tfjs";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { displayWidth, escapeHtml, padText } from "../runtime/tables";
import { t, formatNumber, LeptonError } from "../i18n/index";
import { layerFlops } from "./flops";

/** One row of a {@link ModelSummary}: a layer (shared layers appear once with their call count). */
export interface SummaryRow {
  name: string;
  type: string;
  /** Output shape of each call, batch dimension as `null`. */
  outputShape: (number | null)[] | (number | null)[][];
  /** Parameters owned by the layer (counted once even when it is called several times). */
  params: number;
  /** FLOPs per example, summed over every call of the layer. */
  flops: number;
  trainable: boolean;
  /** How many times the layer is applied (more than 1 for shared weights). */
  calls: number;
}

/** A shape (or several) as text, the batch dimension as "-": `[-, 28, 28, 1]`. */
export function shapeText(shape: SummaryRow["outputShape"]): string {
  const one = (s: (number | null)[]) => `[${s.map((d) => (d === null ? "-" : String(d))).join(", ")}]`;
  return Array.isArray(shape[0]) ? (shape as (number | null)[][]).map(one).join(" ") : one(shape as (number | null)[]);
}

/** The result of {@link summary}; renders as a table in a notebook. */
export class ModelSummary {
  constructor(
    readonly modelName: string,
    readonly rows: SummaryRow[],
    readonly totalParams: number,
    readonly trainableParams: number,
    readonly totalFlops: number,
  ) {}

  get nonTrainableParams(): number {
    return this.totalParams - this.trainableParams;
  }

  private headings(): string[] {
    return [t("zoo:summaryLayer"), t("zoo:summaryType"), t("zoo:summaryOutput"), t("zoo:summaryParams"), t("zoo:summaryFlops")];
  }

  private cells(r: SummaryRow): string[] {
    const name = r.calls > 1 ? t("zoo:summaryShared", { name: r.name, calls: r.calls }) : r.name;
    return [r.trainable || r.params === 0 ? name : t("zoo:summaryFrozen", { name }), r.type, shapeText(r.outputShape), formatNumber(r.params), formatNumber(r.flops)];
  }

  private footer(): string[] {
    return [
      t("zoo:summaryTotal", { params: formatNumber(this.totalParams) }),
      t("zoo:summaryTrainable", { params: formatNumber(this.trainableParams) }),
      t("zoo:summaryNonTrainable", { params: formatNumber(this.nonTrainableParams) }),
      t("zoo:summaryTotalFlops", { flops: formatNumber(this.totalFlops) }),
    ];
  }

  /** Plain-text table. */
  toString(): string {
    const table = [this.headings(), ...this.rows.map((r) => this.cells(r))];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => displayWidth(row[i]))));
    const line = (row: string[]) => row.map((cell, i) => padText(cell, widths[i])).join("  ").trimEnd();
    const rule = "-".repeat(widths.reduce((a, b) => a + b + 2, -2));
    return [this.modelName, line(table[0]), rule, ...table.slice(1).map(line), rule, ...this.footer()].join("\n");
  }

  [DISPLAY](): MimeBundle {
    const th = this.headings().map((h, i) => `<th style="text-align:${i >= 3 ? "right" : "left"}">${escapeHtml(h)}</th>`).join("");
    const body = this.rows
      .map((r) => `<tr>${this.cells(r).map((c, i) => `<td style="text-align:${i >= 3 ? "right" : "left"}">${escapeHtml(c)}</td>`).join("")}</tr>`)
      .join("");
    const html =
      `<div><b>${escapeHtml(this.modelName)}</b><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>` +
      `<div>${this.footer().map(escapeHtml).join("<br>")}</div></div>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

/**
 * The names of the graph nodes that belong to `model`. A Sequential keeps its graph in an inner
 * model that tfjs makes when it is built (by predict, compile or fit); build it here if it has an
 * input shape, or its layers would show no output shapes and no FLOPs.
 */
function containerNodesOf(model: tf.LayersModel): Set<string> {
  type Graph = { containerNodes: Set<string> };
  if (model instanceof tf.Sequential) {
    const seq = model as unknown as { model?: Graph; build(): void };
    if (!seq.model && model.inputs?.length) seq.build();
    return seq.model?.containerNodes ?? new Set();
  }
  return (model as unknown as Graph).containerNodes;
}

/**
 * Summarises a model: each layer with its type, output shape, parameters and FLOPs per example;
 * totals of parameters (trainable and frozen) and FLOPs. Displays as a table in a notebook.
 *
 * @example
 * ```ts
 * const s = lepton.zoo.summary(lepton.zoo.lenet5());
 * s.totalParams; // 61706
 * s;             // shows the table
 * ```
 */
export function summary(model: tf.LayersModel): ModelSummary {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("zoo:notAModel", { got: typeof model });
  const rows: SummaryRow[] = [];
  let totalFlops = 0;
  const containerNodes = containerNodesOf(model);
  for (const layer of model.layers) {
    // Only the nodes that belong to this model (a layer reused by another model has more).
    const inbound = (layer as unknown as { inboundNodes: { inputShapes: never; outputShapes: never }[] }).inboundNodes;
    const nodes = inbound.filter((_, i) => containerNodes.has(`${layer.name}_ib-${i}`));
    const flops = nodes.reduce((sum, n) => sum + layerFlops(layer, n.inputShapes, n.outputShapes), 0);
    totalFlops += flops;
    // A node lists one shape per output tensor; unwrap single-output layers.
    const shapes = nodes.map((n) => {
      const o = n.outputShapes as (number | null)[] | (number | null)[][];
      return Array.isArray(o[0]) && o.length === 1 ? (o[0] as (number | null)[]) : o;
    });
    rows.push({
      name: layer.name,
      type: layer.getClassName().replace(/^Lepton/, ""),
      outputShape: shapes[0] ?? [],
      params: layer.countParams(),
      flops,
      trainable: layer.trainable,
      calls: Math.max(1, nodes.length),
    });
  }
  const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  return new ModelSummary(model.name, rows, model.countParams(), trainable, totalFlops);
}
