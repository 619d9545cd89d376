/**
 * `lepton`: machine learning in TypeScript notebooks, from data to a REST service.
 *
 * Every module is re-exported here; the kernel preloads this namespace as the global `lepton`.
 */
export { t, locale, formatNumber, formatPercent, LeptonError, detectLocale } from "./i18n/index";
export type { Locale } from "./i18n/index";
export { show, isNotebook, cellSignal, DISPLAY, newDisplayId } from "./runtime/index";
export type { MimeBundle, Displayable, DisplayOptions } from "./runtime/index";

/** The library version. */
export const version = "0.1.0";
