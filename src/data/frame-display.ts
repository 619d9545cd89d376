/**
 * How a DataFrame renders: shape, then dtypes with missing counts, then the first rows.
 */
import { formatNumber, t } from "../i18n/index";
import type { MimeBundle } from "../runtime/host";
import type { DataFrame } from "./frame";
import { escapeHtml, htmlTable, textTable } from "../runtime/tables";

const HEAD_ROWS = 10;

function shown(v: unknown): string | number {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().replace("T00:00:00.000Z", "");
  if (typeof v === "number") return Number.isInteger(v) ? v : Number(v.toPrecision(6));
  // keep one line per row: show line breaks inside values as a visible mark
  return String(v).replace(/\r?\n/g, "⏎");
}

/** One line for `console.log` and frames inside other objects: shape and column names. */
export function frameLine(df: DataFrame): string {
  const [rows, cols] = df.shape;
  const names = df.columns.slice(0, 12).join(", ") + (cols > 12 ? ", …" : "");
  return `${t("data:frameShape", { rows: formatNumber(rows), columns: formatNumber(cols) })} (${names})`;
}

/** The MIME bundle of a frame (text and HTML). */
export function frameBundle(df: DataFrame): MimeBundle {
  const [rows, cols] = df.shape;
  const title = t("data:frameShape", { rows: formatNumber(rows), columns: formatNumber(cols) });
  const head = df.head(HEAD_ROWS);
  const headRows = Array.from({ length: head.length }, (_, i) => [i, ...head.columns.map((c) => shown(head.row(i)[c]))]);
  const missing = df.missingCounts();
  const dtypes = df.dtypes;
  const infoHeaders = [t("data:col.column"), t("data:col.dtype"), t("data:col.missing")];
  const infoRows = df.columns.map((c) => [c, dtypes[c], missing[c]]);
  const more = rows > HEAD_ROWS ? t("data:frameMoreRows", { count: formatNumber(rows - HEAD_ROWS) }) : "";
  const text = [
    textTable(["", ...df.columns], headRows, title),
    more,
    "",
    textTable(infoHeaders, infoRows),
  ].filter((s, i) => s !== "" || i === 2).join("\n");
  const html =
    `<div class="lepton-frame"><div><b>${escapeHtml(title)}</b></div>` +
    htmlTable(["", ...df.columns], headRows) +
    (more ? `<div><i>${escapeHtml(more)}</i></div>` : "") +
    `<details><summary>${escapeHtml(t("data:frameColumnsSummary"))}</summary>${htmlTable(infoHeaders, infoRows)}</details></div>`;
  return { "text/plain": text, "text/html": html };
}
