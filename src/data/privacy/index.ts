/**
 * `lepton.data.privacy`: find personal data in a table and mask, drop or pseudonymise it before
 * training. Nothing leaves the machine; the log of what was done goes into data set cards.
 *
 * @example
 * ```ts
 * const report = lepton.data.privacy.detectPII(df);
 * const { frame, log } = lepton.data.privacy.protect(df, { report, secret: process.env.LEPTON_SECRET });
 * ```
 */
export { detectPII, PrivacyReport } from "./detect";
export type { PiiFinding } from "./detect";
export { protect, maskValue, pseudonym, PrivacyLog } from "./protect";
export type { ProtectOptions, PrivacyAction, PrivacyRecord } from "./protect";
export { privacySummary } from "./summary";
export type { PrivacySummary, PrivacyInput } from "./summary";
export { classifyValue, headerHint, luhnValid, chineseIdValid } from "./patterns";
export type { PiiKind } from "./patterns";
