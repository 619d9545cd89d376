/**
 * `lepton`: machine learning in TypeScript notebooks, from data to a REST service.
 *
 * Each concern is a namespace (`lepton.data`, `lepton.zoo`, ...); the most used calls are also
 * top-level (`lepton.fit`, `lepton.seed`, ...). The kernel preloads this module as `lepton`.
 */
export { t, locale, formatNumber, formatPercent, formatDate, LeptonError, detectLocale } from "./i18n/index";
export type { Locale } from "./i18n/index";
export { show, isNotebook, cellSignal, DISPLAY, newDisplayId } from "./runtime/index";
export type { MimeBundle, Displayable, DisplayOptions } from "./runtime/index";

export * as backend from "./backend/index";
export * as data from "./data/index";
export * as zoo from "./zoo/index";
export * as train from "./train/index";
export * as evaluate from "./evaluate/index";
export * as plot from "./plot/index";
export * as compress from "./compress/index";
export * as deploy from "./deploy/index";
export * as run from "./run/index";

export * from "./backend/toplevel";
export * from "./data/toplevel";
export * from "./zoo/toplevel";
export * from "./train/toplevel";
export * from "./evaluate/toplevel";
export * from "./plot/toplevel";
export * from "./compress/toplevel";
export * from "./deploy/toplevel";
export * from "./run/toplevel";

/** The library version. */
export const version = "0.1.0";

import { help as libraryHelp, LibraryHelp } from "./help";
import { attachDisplay, DISPLAY as DISPLAY_SYMBOL, INSPECT } from "./runtime/host";
export { LibraryHelp };

/**
 * What the library holds: each namespace, what it is for and a call to start from, with the
 * version and the compute backend.
 *
 * @example
 * ```ts
 * lepton.help(); // the table of namespaces
 * ```
 */
export function help(): LibraryHelp {
  return libraryHelp(version);
}

// A cell that ends with `lepton` shows the overview rather than the module's getters.
attachDisplay(module.exports as object, () => help()[DISPLAY_SYMBOL](), () => help()[INSPECT]());
