/**
 * The privacy record kept with a saved model (`lepton.json`) and a run folder (`config.json`):
 * which columns were found to hold personal data and what was done to each. Only whitelisted
 * fields are copied, so a secret or a data value passed by mistake never reaches the disk.
 */
import { LeptonError } from "../../i18n/index";
import { PrivacyReport, type PiiFinding } from "./detect";
import type { PiiKind } from "./patterns";
import { PrivacyLog, type PrivacyAction, type PrivacyRecord } from "./protect";

/** What a bundle or run folder records about privacy. */
export interface PrivacySummary {
  /** Transforms applied before training (from {@link PrivacyLog}). */
  applied: PrivacyRecord[];
  /** Columns detection flagged (from {@link PrivacyReport}), when a report was given. */
  detected?: { rows: number; findings: PiiFinding[] };
}

/** What `privacy` options accept: a log, a report, `protect`'s result, several of them, or their JSON. */
export type PrivacyInput =
  | PrivacyLog
  | PrivacyReport
  | PrivacySummary
  | { log?: PrivacyLog; report?: PrivacyReport }
  | PrivacyRecord[]
  | PrivacyInput[];

const KINDS = new Set<string>(["email", "phone", "nationalId", "cardNumber", "name", "manual"]);
const ACTIONS = new Set<string>(["mask", "drop", "pseudonymise"]);

function record(value: unknown): PrivacyRecord {
  const r = value as Partial<PrivacyRecord> | null;
  if (!r || typeof r.column !== "string" || !KINDS.has(String(r.kind)) || !ACTIONS.has(String(r.action))) {
    throw new LeptonError("privacy:badRecord", { got: JSON.stringify(value)?.slice(0, 120) ?? String(value) });
  }
  const out: PrivacyRecord = { column: r.column, kind: r.kind as PiiKind | "manual", action: r.action as PrivacyAction };
  if (typeof r.algorithm === "string") out.algorithm = r.algorithm;
  return out;
}

function finding(value: unknown): PiiFinding {
  const f = value as Partial<PiiFinding> | null;
  if (!f || typeof f.column !== "string" || !KINDS.has(String(f.kind)) || typeof f.share !== "number") {
    throw new LeptonError("privacy:badRecord", { got: JSON.stringify(value)?.slice(0, 120) ?? String(value) });
  }
  return { column: f.column, kind: f.kind as PiiKind, share: f.share, sampled: Number(f.sampled ?? 0), evidence: f.evidence ?? "values" };
}

/**
 * Turns what `privacy` options accept into the record stored on disk.
 *
 * @example
 * ```ts
 * const report = lepton.data.privacy.detectPII(df);
 * const { frame, log } = lepton.data.privacy.protect(df, { report, secret: process.env.LEPTON_SECRET });
 * lepton.data.privacy.privacySummary([report, log]);
 * // { applied: [{ column: "email", kind: "email", action: "pseudonymise", algorithm: "HMAC-SHA256/16" }], detected: {...} }
 * ```
 */
export function privacySummary(input: PrivacyInput): PrivacySummary {
  const applied: PrivacyRecord[] = [];
  let detected: PrivacySummary["detected"];
  const take = (value: unknown): void => {
    if (value instanceof PrivacyLog) applied.push(...value.records.map(record));
    else if (value instanceof PrivacyReport) detected = { rows: value.rows, findings: value.findings.map(finding) };
    else if (Array.isArray(value)) {
      // An array of records (a log's JSON) or a list of inputs.
      for (const v of value) (v && typeof v === "object" && "action" in v ? applied.push(record(v)) : take(v));
    } else if (value && typeof value === "object") {
      const o = value as Record<string, unknown>;
      const known = ["log", "report", "applied", "detected"].filter((k) => o[k] !== undefined);
      if (known.length === 0) throw new LeptonError("privacy:badRecord", { got: JSON.stringify(value)?.slice(0, 120) ?? String(value) });
      if (o.log !== undefined) take(o.log);
      if (o.report !== undefined) take(o.report);
      if (o.applied !== undefined) take(o.applied);
      if (o.detected !== undefined) {
        const d = o.detected as { rows?: unknown; findings?: unknown };
        detected = { rows: Number(d.rows ?? 0), findings: Array.isArray(d.findings) ? d.findings.map(finding) : [] };
      }
    } else {
      throw new LeptonError("privacy:badRecord", { got: String(value) });
    }
  };
  take(input);
  return detected ? { applied, detected } : { applied };
}
