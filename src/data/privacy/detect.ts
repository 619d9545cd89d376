/**
 * Finding columns that hold personal data: values are checked against patterns (e-mail, phone,
 * national IDs, card numbers with Luhn) and headers hint at names.
 */
import { formatPercent, t } from "../../i18n/index";
import { DISPLAY, type MimeBundle } from "../../runtime/host";
import type { DataFrame } from "../frame";
import { htmlTable, textTable } from "../../runtime/tables";
import { classifyValue, headerHint, type PiiKind } from "./patterns";

/** One column found to hold personal data. */
export interface PiiFinding {
  column: string;
  kind: PiiKind;
  /** Share of the sampled non-missing values that matched (1 for a header-only finding). */
  share: number;
  sampled: number;
  /** "values", "header" or "values+header". */
  evidence: "values" | "header" | "values+header";
}

/** The result of {@link detectPII}; displays as a table and serialises for data set cards. */
export class PrivacyReport {
  constructor(readonly findings: PiiFinding[], readonly rows: number) {}
  /** The columns found. */
  get columns(): string[] { return this.findings.map((f) => f.column); }
  toJSON(): { rows: number; findings: PiiFinding[] } { return { rows: this.rows, findings: this.findings }; }
  [DISPLAY](): MimeBundle {
    const caption = this.findings.length === 0 ? t("privacy:noneFound") : t("privacy:reportCaption", { count: this.findings.length });
    const headers = [t("privacy:col.column"), t("privacy:col.kind"), t("privacy:col.share"), t("privacy:col.evidence")];
    const rows = this.findings.map((f) => [f.column, t(`privacy:kind.${f.kind}`), formatPercent(f.share), t(`privacy:evidence.${f.evidence}`)]);
    return { "text/plain": textTable(headers, rows, caption), "text/html": htmlTable(headers, rows, caption) };
  }
}

/**
 * Detects columns holding personal data. A column is flagged when at least `threshold` of its
 * sampled values match one pattern, or when its header names a kind and some values match (names
 * are flagged by header alone).
 *
 * @example
 * ```ts
 * const report = lepton.data.privacy.detectPII(df);
 * report;   // column, kind, share, evidence
 * ```
 */
export function detectPII(df: DataFrame, options: { sampleRows?: number; threshold?: number } = {}): PrivacyReport {
  const sampleRows = Math.min(df.length, options.sampleRows ?? 2000);
  const threshold = options.threshold ?? 0.6;
  const step = Math.max(1, Math.floor(df.length / sampleRows));
  const findings: PiiFinding[] = [];
  for (const name of df.columns) {
    const col = df.column(name);
    const hint = headerHint(name);
    const counts = new Map<PiiKind, number>();
    let sampled = 0;
    for (let i = 0; i < df.length && sampled < sampleRows; i += step) {
      let text: string | undefined;
      if (col.kind === "string") text = col.codes[i] < 0 ? undefined : col.categories[col.codes[i]];
      else if (col.dtype !== "date" && !Number.isNaN(col.values[i])) text = String(col.values[i]);
      if (text === undefined) continue;
      sampled++;
      const kind = classifyValue(text);
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const share = best && sampled > 0 ? best[1] / sampled : 0;
    if (best && share >= threshold) {
      findings.push({ column: name, kind: best[0], share, sampled, evidence: hint === best[0] ? "values+header" : "values" });
    } else if (hint && (hint === "name" ? col.kind === "string" : (counts.get(hint) ?? 0) > 0)) {
      findings.push({ column: name, kind: hint, share: hint === "name" ? 1 : (counts.get(hint) ?? 0) / sampled, sampled, evidence: "header" });
    }
  }
  return new PrivacyReport(findings, df.length);
}
