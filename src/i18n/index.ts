/**
 * Localised messages for the library and the kernel (English and Simplified Chinese).
 *
 * Every user-facing text comes from a catalogue in `messages/`, one file per concern, each
 * exporting `{ en, zh }` with identical keys (a test enforces it). Error codes never change with
 * the locale, so code that catches a {@link LeptonError} can rely on `err.code`.
 */
import i18next, { type i18n as I18n } from "i18next";
import { catalogues } from "./messages/index";

export type Locale = "en" | "zh-CN";

/** Picks the locale from LEPTON_LOCALE, then LC_ALL / LC_MESSAGES / LANG; English by default. */
export function detectLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  for (const value of [env.LEPTON_LOCALE, env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (!value) continue;
    return /^zh/i.test(value) ? "zh-CN" : "en";
  }
  return "en";
}

function buildResources() {
  const en: Record<string, Record<string, string>> = {};
  const zh: Record<string, Record<string, string>> = {};
  for (const [ns, cat] of Object.entries(catalogues)) {
    en[ns] = cat.en;
    zh[ns] = cat.zh;
  }
  return { en, "zh-CN": zh };
}

let instance: I18n | undefined;

function i18n(): I18n {
  if (!instance) {
    instance = i18next.createInstance();
    const resources = buildResources();
    void instance.init({
      lng: detectLocale(),
      fallbackLng: "en",
      resources: Object.fromEntries(Object.entries(resources).map(([lng, nss]) => [lng, nss])),
      ns: Object.keys(catalogues),
      defaultNS: "common",
      nsSeparator: ":",
      keySeparator: false,
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
      showSupportNotice: false,
    });
  }
  return instance;
}

/**
 * Translates a message key of the form `namespace:key` with interpolation values.
 *
 * @example
 * ```ts
 * t("data:fileNotFound", { path: "/tmp/x.csv" });
 * ```
 */
export function t(key: string, values: Record<string, unknown> = {}): string {
  return String(i18n().t(key, values as never));
}

/**
 * Gets or sets the locale used by every lepton message.
 *
 * @example
 * ```ts
 * lepton.locale("zh-CN"); // 之后的错误与进度信息都使用中文
 * lepton.locale();         // "zh-CN"
 * ```
 */
export function locale(next?: Locale | string): Locale {
  if (next !== undefined) {
    const normalised: Locale = /^zh/i.test(next) ? "zh-CN" : /^en/i.test(next) ? "en" : (() => {
      throw new LeptonError("common:unknownLocale", { locale: next });
    })();
    void i18n().changeLanguage(normalised);
  }
  return (i18n().language as Locale) ?? "en";
}

/** Formats a number for the current locale (grouping, decimals). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale(), options).format(value);
}

/** Formats a fraction (0..1) as a percentage for the current locale. */
export function formatPercent(value: number, digits = 1): string {
  return new Intl.NumberFormat(locale(), {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/**
 * Formats a date (and, with `{ timeStyle }`, a time) for the current locale.
 *
 * @example
 * ```ts
 * lepton.formatDate(new Date(), { dateStyle: "long" }); // "November 23, 2026" / "2026年11月23日"
 * ```
 */
export function formatDate(value: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }): string {
  return new Intl.DateTimeFormat(locale(), options).format(value);
}

/**
 * The error type thrown by every lepton function. `code` is the catalogue key (stable in every
 * language); `message` is localised; `values` holds the details that went into the message.
 *
 * @example
 * ```ts
 * try { lepton.data.readCSV("missing.csv"); }
 * catch (e) { if (e instanceof lepton.LeptonError && e.code === "data:fileNotFound") { ... } }
 * ```
 */
export class LeptonError extends Error {
  readonly code: string;
  readonly values: Record<string, unknown>;
  constructor(code: string, values: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(t(code, values), options);
    this.name = "LeptonError";
    this.code = code;
    this.values = values;
  }
}
