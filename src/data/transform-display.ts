/**
 * How a fitted transform shows itself: in a notebook, what it learned from the training split
 * (each column's mean and standard deviation, range or categories), which is what one checks
 * before trusting it; in `console.log`, one line. Unfitted, it says so and what to call.
 */
import { formatNumber, t } from "../i18n/index";
import type { MimeBundle } from "../runtime/host";
import { escapeHtml, htmlTable, textTable } from "../runtime/tables";

/** What a display needs of a transform (the classes in transforms.ts). */
export type ShownTransform =
  | { kind: "scaler"; type: string; columns: string[] | undefined; a: number[]; b: number[] }
  | { kind: "encoder"; type: string; columns: string[]; categories: Record<string, string[]> }
  | { kind: "pipeline"; steps: ShownTransform[] }
  /** A transform of the user's own: shown by its type. */
  | { kind: "other"; type: string };

const fitted = (x: ShownTransform): boolean =>
  x.kind === "scaler" ? x.a.length > 0 && !!x.columns
    : x.kind === "encoder" ? x.columns.length > 0 && x.columns.every((c) => x.categories[c])
      : x.kind === "pipeline" ? x.steps.every(fitted) : true;

const value = (v: number) => formatNumber(v, { maximumSignificantDigits: 6 });
const MAX_CATEGORIES = 12;

/** One line: the transform, and what it was fitted on (or that it was not). */
export function transformLine(x: ShownTransform): string {
  if (x.kind === "pipeline") return t("data:transform.pipelineLine", { count: x.steps.length, steps: x.steps.map((s) => (s.kind === "pipeline" ? "Pipeline" : s.type)).join(" → ") });
  if (x.kind === "other") return x.type;
  if (!fitted(x)) return t("data:transform.notFittedLine", { type: x.type });
  if (x.kind === "scaler") return t("data:transform.scalerLine", { type: x.type, count: x.columns!.length });
  const categories = x.columns.reduce((s, c) => s + x.categories[c].length, 0);
  return t("data:transform.encoderLine", { type: x.type, count: x.columns.length, categories });
}

function table(x: Extract<ShownTransform, { kind: "scaler" | "encoder" }>): { headers: string[]; rows: string[][] } | undefined {
  if (!fitted(x)) return undefined;
  if (x.kind === "scaler") {
    const standard = x.type === "StandardScaler";
    const headers = [t("data:col.column"), t(standard ? "data:col.mean" : "data:col.min"), t(standard ? "data:col.std" : "data:col.range")];
    return { headers, rows: x.columns!.map((c, j) => [c, value(x.a[j]), value(x.b[j])]) };
  }
  const rows = x.columns.map((c) => {
    const cats = x.categories[c];
    const shown = cats.slice(0, MAX_CATEGORIES).join(", ");
    return [c, formatNumber(cats.length), cats.length > MAX_CATEGORIES ? t("data:transform.moreCategories", { shown, more: cats.length - MAX_CATEGORIES }) : shown];
  });
  return { headers: [t("data:col.column"), t("data:col.count"), t("data:col.categories")], rows };
}

/** The MIME bundle: a table per transform (a pipeline's steps in order) under its line. */
export function transformBundle(x: ShownTransform): MimeBundle {
  const steps = x.kind === "pipeline" ? x.steps.map((s, i) => ({ s, title: `${i + 1}. ${transformLine(s)}` })) : [{ s: x, title: transformLine(x) }];
  const text: string[] = x.kind === "pipeline" ? [transformLine(x)] : [];
  const html: string[] = x.kind === "pipeline" ? [`<div><b>${escapeHtml(transformLine(x))}</b></div>`] : [];
  for (const { s, title } of steps) {
    const tab = s.kind === "scaler" || s.kind === "encoder" ? table(s) : undefined;
    text.push(tab ? textTable(tab.headers, tab.rows, title) : title);
    html.push(tab ? htmlTable(tab.headers, tab.rows, title) : `<div>${escapeHtml(title)}</div>`);
  }
  return { "text/plain": text.join("\n"), "text/html": html.join("") };
}
