/**
 * Result tables (classification report, cross-validation folds, search trials) that display as
 * an HTML table, sortable by clicking a heading, with an aligned text form for plain output.
 */
import { t } from "../i18n/index";
import { displayWidth, padText } from "../runtime/tables";
import { escapeHtml } from "../plot/html";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";

export interface Column {
  key: string;
  title: string;
  /** How a value is written (default: String). */
  format?: (value: unknown) => string;
}

export type Row = Record<string, unknown>;

export interface TableOptions {
  title?: string;
  /** Rows kept under the body (averages, totals); sorting leaves them in place. */
  footer?: Row[];
  /** Lines of text under the table. */
  notes?: string[];
  /** Let the reader sort by clicking a heading (in the HTML form). */
  sortable?: boolean;
}

let counter = 0;

export class Table implements Displayable {
  constructor(readonly columns: Column[], readonly rows: Row[], readonly options: TableOptions = {}) {}

  /** A copy sorted by one column (numbers numerically, missing values last). */
  sortBy(key: string, descending = false): Table {
    const sign = descending ? -1 : 1;
    const missing = (v: unknown) => v === undefined || v === null;
    const rows = [...this.rows].sort((a, b) =>
      missing(a[key]) || missing(b[key]) ? Number(missing(a[key])) - Number(missing(b[key])) : compare(a[key], b[key]) * sign);
    return new Table(this.columns, rows, this.options);
  }

  private cell(column: Column, row: Row): string {
    const value = row[column.key];
    if (value === undefined || value === null) return "";
    return column.format ? column.format(value) : String(value);
  }

  toString(): string {
    const all = [...this.rows, ...(this.options.footer ?? [])];
    const grid = [this.columns.map((c) => c.title), ...all.map((r) => this.columns.map((c) => this.cell(c, r)))];
    const widths = this.columns.map((_, j) => Math.max(...grid.map((r) => displayWidth(r[j]))));
    const line = (cells: string[]) => cells.map((c, j) => padText(c, widths[j], j === 0 ? "left" : "right")).join("  ").trimEnd();
    const out = grid.map(line);
    out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
    if (this.options.footer?.length) out.splice(out.length - this.options.footer.length, 0, "");
    return [this.options.title, ...out, ...(this.options.notes ?? [])].filter((l) => l !== undefined).join("\n");
  }

  toHTML(): string {
    counter += 1;
    const id = `lepton-table-${process.pid}-${counter}`;
    const sortable = this.options.sortable ?? false;
    const th = this.columns.map((c, j) =>
      `<th style="text-align:${j ? "right" : "left"};${sortable ? "cursor:pointer" : ""}" data-col="${j}">${escapeHtml(c.title)}</th>`).join("");
    const tr = (r: Row) => `<tr>${this.columns.map((c, j) => {
      const raw = r[c.key];
      const sortValue = typeof raw === "number" ? ` data-sort="${raw}"` : "";
      return `<td style="text-align:${j ? "right" : "left"}"${sortValue}>${escapeHtml(this.cell(c, r))}</td>`;
    }).join("")}</tr>`;
    const caption = this.options.title ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(this.options.title)}</caption>` : "";
    const foot = this.options.footer?.length ? `<tfoot style="border-top:1px solid #999">${this.options.footer.map(tr).join("")}</tfoot>` : "";
    const notes = [...(this.options.notes ?? []), ...(sortable ? [t("evaluate:sortHint")] : [])]
      .map((n) => `<div style="font-size:smaller;color:#666">${escapeHtml(n)}</div>`).join("");
    // Sorting is a few lines of inline script: no library, works in an exported page too.
    const script = sortable ? `<script type="text/javascript">(function(){var tb=document.getElementById(${JSON.stringify(id)});if(!tb)return;
var dir={};tb.querySelectorAll("thead th").forEach(function(h){h.addEventListener("click",function(){var j=+h.dataset.col;dir[j]=-(dir[j]||-1);
var body=tb.tBodies[0],rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[j],y=b.cells[j];
var nx=x.dataset.sort,ny=y.dataset.sort;var c=(nx!==undefined&&ny!==undefined)?(+nx)-(+ny):x.textContent.localeCompare(y.textContent);return c*dir[j];});
rows.forEach(function(r){body.appendChild(r);});});});})();</script>` : "";
    return `<table id="${id}" class="lepton-table">${caption}<thead><tr>${th}</tr></thead><tbody>${this.rows.map(tr).join("")}</tbody>${foot}</table>${notes}${script}`;
  }

  [DISPLAY](): MimeBundle {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
