/**
 * Acting on personal data before training: mask, drop or pseudonymise columns (HMAC-SHA256 with
 * a secret only the user holds, so equal values stay equal but cannot be looked up). What was
 * done is returned as records for data set cards, model bundles and run folders.
 */
import { createHmac } from "node:crypto";
import { LeptonError, t } from "../../i18n/index";
import { DISPLAY, type MimeBundle } from "../../runtime/host";
import type { Column } from "../csv/columns";
import type { DataFrame } from "../frame";
import { htmlTable, textTable } from "../../runtime/tables";
import { detectPII, type PrivacyReport } from "./detect";
import type { PiiKind } from "./patterns";

export type PrivacyAction = "mask" | "drop" | "pseudonymise";

/** One applied transform (no secret and no data in it). */
export interface PrivacyRecord { column: string; kind: PiiKind | "manual"; action: PrivacyAction; algorithm?: string }

/** What {@link protect} did; displays as a table and serialises into cards and bundles. */
export class PrivacyLog {
  constructor(readonly records: PrivacyRecord[]) {}
  toJSON(): PrivacyRecord[] { return this.records; }
  [DISPLAY](): MimeBundle {
    const headers = [t("privacy:col.column"), t("privacy:col.kind"), t("privacy:col.action")];
    const rows = this.records.map((r) => [r.column, r.kind === "manual" ? "-" : t(`privacy:kind.${r.kind}`), t(`privacy:action.${r.action}`)]);
    const caption = t("privacy:logCaption", { count: this.records.length });
    return { "text/plain": textTable(headers, rows, caption), "text/html": htmlTable(headers, rows, caption) };
  }
}

/** Options for {@link protect}. */
export interface ProtectOptions {
  /** What to do; one action for all, or per kind. Default "pseudonymise" when a secret is given, else "mask". */
  action?: PrivacyAction | Partial<Record<PiiKind, PrivacyAction>>;
  /** Key for pseudonymisation (keep it out of notebooks: read it from an environment variable). */
  secret?: string;
  /** Columns to treat; default: those `detectPII` finds. */
  report?: PrivacyReport;
  /** Extra columns to treat that detection did not flag. */
  columns?: string[];
}

/** Masks one value, keeping just enough to recognise it (domain of an e-mail, last digits). */
export function maskValue(value: string, kind: PiiKind | "manual"): string {
  if (kind === "email") {
    const at = value.lastIndexOf("@");
    return at > 0 ? `${Array.from(value)[0]}***${value.slice(at)}` : "***";
  }
  if (kind === "cardNumber" || kind === "phone" || kind === "nationalId") {
    const digits = value.replace(/[^\dXx]/g, "");
    return `***${digits.slice(-Math.min(4, Math.floor(digits.length / 3)))}`;
  }
  const g = Array.from(value);
  return g.length <= 1 ? "*" : `${g[0]}${"*".repeat(Math.min(g.length - 1, 6))}`;
}

/** HMAC-SHA256 of `value` with `secret`, 16 hex digits (equal inputs give equal outputs). */
export function pseudonym(value: string, secret: string): string {
  return createHmac("sha256", secret).update(value, "utf8").digest("hex").slice(0, 16);
}

/**
 * Masks, drops or pseudonymises the personal data columns of a frame.
 *
 * @example
 * ```ts
 * const { frame, log } = lepton.data.privacy.protect(df, { secret: process.env.LEPTON_SECRET, action: { name: "drop" } });
 * log.toJSON();   // [{ column: "email", kind: "email", action: "pseudonymise", algorithm: "HMAC-SHA256" }, ...]
 * ```
 */
export function protect(df: DataFrame, options: ProtectOptions = {}): { frame: DataFrame; log: PrivacyLog } {
  const report = options.report ?? detectPII(df);
  const targets: { column: string; kind: PiiKind | "manual" }[] = report.findings.map((f) => ({ column: f.column, kind: f.kind }));
  for (const c of options.columns ?? []) if (!targets.some((x) => x.column === c)) { df.column(c); targets.push({ column: c, kind: "manual" }); }
  const fallback: PrivacyAction = options.secret ? "pseudonymise" : "mask";
  const actionFor = (kind: PiiKind | "manual"): PrivacyAction =>
    typeof options.action === "string" ? options.action : (kind !== "manual" ? options.action?.[kind] : undefined) ?? fallback;
  let frame = df;
  const records: PrivacyRecord[] = [];
  for (const { column, kind } of targets) {
    const action = actionFor(kind);
    if (action === "drop") { frame = frame.drop([column]); records.push({ column, kind, action }); continue; }
    if (action === "pseudonymise" && !options.secret) throw new LeptonError("privacy:secretRequired", { column });
    const values = frame.values(column);
    const lookup = new Map<string, number>();
    const categories: string[] = [];
    const codes = Int32Array.from(values, (v) => {
      if (v === null) return -1;
      const text = v instanceof Date ? v.toISOString() : String(v);
      const out = action === "mask" ? maskValue(text, kind) : pseudonym(text, options.secret!);
      let c = lookup.get(out);
      if (c === undefined) { c = categories.length; categories.push(out); lookup.set(out, c); }
      return c;
    });
    const col: Column = { kind: "string", dtype: "string", codes, categories };
    frame = frame.withColumn(column, col);
    records.push(action === "pseudonymise" ? { column, kind, action, algorithm: "HMAC-SHA256/16" } : { column, kind, action });
  }
  return { frame, log: new PrivacyLog(records) };
}
