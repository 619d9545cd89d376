/**
 * Plain-text and HTML renderings of small tables, shared by every displayable object (frames,
 * data set lists, reports, summaries) so they look the same in a notebook and a terminal, in
 * English and in Chinese (wide characters count twice when columns are padded).
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Width of a string in terminal columns: wide East Asian characters count twice. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    width += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd) ? 2 : 1;
  }
  return width;
}

/**
 * `text` padded with spaces to `width` terminal columns (Chinese text counts double, so
 * columns line up in either language), on the right (`left` alignment) or on the left.
 */
export function padText(text: string, width: number, align: "left" | "right" = "left"): string {
  const pad = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "left" ? text + pad : pad + text;
}

/** A fixed-width text table (columns padded to their widest cell). */
export function textTable(headers: string[], rows: unknown[][], caption?: string): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c ?? "")))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => displayWidth(String(r[j] ?? "")))));
  const line = (r: string[]) => r.map((c, j) => padText(c, widths[j])).join("  ").trimEnd();
  const out = [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)];
  if (caption) out.unshift(caption);
  return out.join("\n");
}

/** An HTML table; numbers are right-aligned. */
export function htmlTable(headers: string[], rows: unknown[][], caption?: string): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((r) =>
      "<tr>" +
      r.map((c) => `<td style="text-align:${typeof c === "number" ? "right" : "left"}">${escapeHtml(c ?? "")}</td>`).join("") +
      "</tr>")
    .join("");
  const cap = caption ? `<caption style="text-align:left">${escapeHtml(caption)}</caption>` : "";
  return `<table class="lepton-table">${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
