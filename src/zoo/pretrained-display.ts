/**
 * How pretrained models show themselves: `lepton.zoo.list()` as a table of what ships (with each
 * model's measured test accuracy), a card as its measurements and training settings.
 */
import { formatNumber, formatPercent, t } from "../i18n/index";
import { attachDisplay, DISPLAY, INSPECT, type MimeBundle } from "../runtime/host";
import { escapeHtml, htmlTable, textTable } from "../runtime/tables";
import type { PretrainedCard } from "./pretrained";

const accuracyText = (c: PretrainedCard) => (typeof c.metrics.accuracy === "number" ? formatPercent(c.metrics.accuracy, 2) : "-");

/** One line for a card: name, architecture, parameters, test accuracy and where it was measured. */
export function cardLine(c: PretrainedCard): string {
  return t("zoo:cardLine", { name: c.name, architecture: c.architecture, params: formatNumber(c.params), accuracy: accuracyText(c), dataset: c.dataset, samples: formatNumber(c.metrics.testSamples ?? 0) });
}

function cardBundle(c: PretrainedCard): MimeBundle {
  const heading = t("zoo:cardHeading", { name: c.name, architecture: c.architecture, dataset: c.dataset, split: c.split });
  const value = (k: string, v: number) => (k === "accuracy" || /Accuracy$/.test(k) ? formatPercent(v, 2) : formatNumber(v, { maximumFractionDigits: 2 }));
  const rows = [[t("zoo:cardParams"), formatNumber(c.params)], ...Object.entries(c.metrics).map(([k, v]) => [k, value(k, v)])];
  const headers = [t("zoo:cardMetric"), t("zoo:cardValue")];
  const settings = Object.entries(c.training).filter(([, v]) => typeof v === "number" || (typeof v === "string" && v.length < 40)).map(([k, v]) => `${k} ${v}`).join(", ");
  const training = t("zoo:cardTraining", { settings });
  return { "text/plain": `${textTable(headers, rows, heading)}\n${training}`, "text/html": `${htmlTable(headers, rows, heading)}<div>${escapeHtml(training)}</div>` };
}

/** Gives a card its displays (non-enumerable: its JSON and keys stay the card.json's). */
export function withCardDisplay(c: PretrainedCard): PretrainedCard {
  return attachDisplay(c, () => cardBundle(c), () => cardLine(c));
}

/** The result of `lepton.zoo.list()`: the shipped pretrained models as a table. */
export class PretrainedList {
  constructor(readonly cards: ReadonlyArray<PretrainedCard>) {}

  /** Plain-text table. */
  toString(): string {
    return textTable(this.headers(), this.rows(), t("zoo:listCaption"));
  }

  private headers(): string[] {
    return [t("zoo:listName"), t("zoo:listArchitecture"), t("zoo:listData"), t("zoo:listAccuracy"), t("zoo:cardParams")];
  }

  private rows(): string[][] {
    return this.cards.map((c) => [c.name, c.architecture, c.dataset, accuracyText(c), formatNumber(c.params)]);
  }

  [DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": htmlTable(this.headers(), this.rows(), t("zoo:listCaption")) };
  }

  [INSPECT](): string {
    return this.toString();
  }
}
