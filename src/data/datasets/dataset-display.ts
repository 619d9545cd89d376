/**
 * How a loaded data set shows itself: in a notebook, its splits and class counts side by side
 * with its source and licence; in `console.log` or inside another object, one line (the raw
 * feature arrays, millions of numbers, are what nobody wants to see).
 */
import { formatNumber, t } from "../../i18n/index";
import { attachDisplay, type MimeBundle } from "../../runtime/host";
import { escapeHtml, htmlTable, textTable } from "../../runtime/tables";
import type { Dataset } from "./registry";
import { TensorSplit, type TextSplit } from "./split";

/** One line: name, samples, split sizes, shape of a sample (numeric data), classes. */
export function datasetLine(d: Dataset<TensorSplit | TextSplit>): string {
  const count = d.train.length + d.test.length;
  const shape = d.train instanceof TensorSplit ? `[${d.train.sampleShape.join(", ")}]` : undefined;
  return t(shape ? "data:datasetSummary" : "data:textDatasetSummary", {
    name: d.name, count: formatNumber(count), train: formatNumber(d.train.length), test: formatNumber(d.test.length), shape, classes: d.classes.length,
  });
}

function datasetBundle(d: Dataset<TensorSplit | TextSplit>): MimeBundle {
  const title = datasetLine(d);
  const [train, test] = [d.train.classCounts(), d.test.classCounts()];
  const headers = [t("data:col.class"), d.train.name, d.test.name];
  const rows = d.classes.map((c, i) => [c, formatNumber(train[i]), formatNumber(test[i])]);
  const source = t("data:cardHeading", { name: d.card.name, source: d.card.source, licence: d.card.licence });
  return {
    "text/plain": `${textTable(headers, rows, title)}\n${source}`,
    "text/html": `${htmlTable(headers, rows, title)}<div>${escapeHtml(source)}</div>`,
  };
}

/**
 * Gives a data set from `lepton.datasets.load` its displays (non-enumerable, so spreading,
 * destructuring and `JSON.stringify` see the same plain fields as before).
 */
export function withDatasetDisplay<S extends TensorSplit | TextSplit>(d: Dataset<S>): Dataset<S> {
  return attachDisplay(d, () => datasetBundle(d), () => datasetLine(d));
}
