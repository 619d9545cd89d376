/**
 * `lepton.help()`: where things are, for someone meeting the library in a notebook. It is also
 * what the kernel shows when a cell ends with `lepton` itself (instead of a list of getters).
 */
import { t } from "./i18n/index";
import { DISPLAY, INSPECT, type MimeBundle } from "./runtime/host";
import { activeBackend, plannedBackend } from "./backend/resolve";
import { escapeHtml, htmlTable, textTable } from "./runtime/tables";

/** Namespaces in the order of a model's life, each with a call to start from. */
const NAMESPACES: [name: string, start: string][] = [
  ["datasets", 'lepton.datasets.load("mnist")'],
  ["data", 'lepton.data.readCSV("file.csv")'],
  ["zoo", "lepton.zoo.leptonNet()"],
  ["fit", "await lepton.fit(model, train, { epochs: 10 })"],
  ["train", "lepton.train.earlyStopping({ patience: 3 })"],
  ["evaluate", "lepton.evaluate.classificationReport(yTrue, yPred)"],
  ["plot", 'lepton.plot.line({ y: { loss: history.series("loss") } })'],
  ["compress", "await lepton.compress.compressionReport(model, { x, y })"],
  ["deploy", "await lepton.serve(model, { port: 8501 })"],
  ["run", 'await lepton.run.runNotebook("nb.ipynb", { parameters: { seed: 1 } })'],
  ["backend", "lepton.backend.env()"],
];

/** The overview {@link help} returns: displays as a table of namespaces. */
export class LibraryHelp {
  constructor(readonly version: string) {}

  private heading(): string {
    return t("common:help.heading", { version: this.version, backend: activeBackend() ?? plannedBackend() });
  }

  /** Each namespace with what it holds and a call to start from, in the current language. */
  entries(): { namespace: string; what: string; start: string }[] {
    return NAMESPACES.map(([name, start]) => ({ namespace: `lepton.${name}`, what: t(`common:help.ns.${name}`), start }));
  }

  private rows(): string[][] {
    return this.entries().map((e) => [e.namespace, e.what, e.start]);
  }

  private headers(): string[] {
    return [t("common:help.colNamespace"), t("common:help.colWhat"), t("common:help.colStart")];
  }

  /** Plain-text table (aligned for wide scripts too). */
  toString(): string {
    return `${textTable(this.headers(), this.rows(), this.heading())}\n${t("common:help.footer")}`;
  }

  [DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": `${htmlTable(this.headers(), this.rows(), this.heading())}<div>${escapeHtml(t("common:help.footer"))}</div>` };
  }

  [INSPECT](): string {
    return this.heading();
  }
}

/**
 * What the library holds: each namespace, what it is for and a call to start from, with the
 * version and the compute backend. Evaluating `lepton` in a cell shows the same.
 *
 * @example
 * ```ts
 * lepton.help(); // the table of namespaces
 * ```
 */
export function help(version: string): LibraryHelp {
  return new LibraryHelp(version);
}
