/**
 * The classification report: precision, recall, F1 and support per class, accuracy, and the
 * macro and weighted averages, as scikit-learn's `classification_report` lays them out.
 */
import { formatNumber, t } from "../i18n/index";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { accuracy, precisionRecallF1, type ClassScores, type Scores } from "./classification";
import { Table, type Row } from "./table";
import { toLabels, type LabelsLike } from "./inputs";

export interface ReportOptions {
  /** Report classes 0..numClasses-1 (default: numClasses from classNames, else the labels present). */
  numClasses?: number;
  /** Names of the classes, in label order. */
  classNames?: string[];
  /** Decimals shown (default 2; the numbers themselves are kept exact). */
  digits?: number;
}

/** One line of the report, as in scikit-learn's output_dict. */
export interface ReportLine extends Scores {
  support: number;
}

export class ClassificationReport implements Displayable {
  constructor(
    /** The exact scores behind the table. */
    readonly scores: ClassScores,
    readonly accuracy: number,
    readonly names: string[],
    private readonly digits: number,
  ) {}

  /** Per-class lines keyed by class name, with "accuracy", "macro avg" and "weighted avg" (scikit-learn's output_dict). */
  toDict(): Record<string, ReportLine | number> {
    const s = this.scores;
    const total = s.support.reduce((a, b) => a + b, 0);
    const out: Record<string, ReportLine | number> = {};
    s.labels.forEach((_, i) => {
      out[this.names[i]] = { precision: s.precision[i], recall: s.recall[i], f1: s.f1[i], support: s.support[i] };
    });
    out.accuracy = this.accuracy;
    out["macro avg"] = { ...s.macro, support: total };
    out["weighted avg"] = { ...s.weighted, support: total };
    return out;
  }

  /** The report as a table (localised headings, numbers in the current locale). */
  toTable(): Table {
    const s = this.scores;
    const total = s.support.reduce((a, b) => a + b, 0);
    const fixed = (v: unknown) => formatNumber(v as number, { minimumFractionDigits: this.digits, maximumFractionDigits: this.digits });
    const integer = (v: unknown) => formatNumber(v as number);
    const rows: Row[] = s.labels.map((_, i) => ({
      name: this.names[i], precision: s.precision[i], recall: s.recall[i], f1: s.f1[i], support: s.support[i],
    }));
    const footer: Row[] = [
      { name: t("evaluate:rowAccuracy"), f1: this.accuracy, support: total },
      { name: t("evaluate:rowMacro"), ...s.macro, support: total },
      { name: t("evaluate:rowWeighted"), ...s.weighted, support: total },
    ];
    return new Table([
      { key: "name", title: t("evaluate:colClass") },
      { key: "precision", title: t("evaluate:colPrecision"), format: fixed },
      { key: "recall", title: t("evaluate:colRecall"), format: fixed },
      { key: "f1", title: t("evaluate:colF1"), format: fixed },
      { key: "support", title: t("evaluate:colSupport"), format: integer },
    ], rows, { title: t("evaluate:reportTitle", { n: formatNumber(total) }), footer, sortable: true });
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    return this.toTable()[DISPLAY]();
  }
}

/**
 * A classification report over the whole set: per-class precision, recall, F1 and support,
 * accuracy, macro and weighted averages. Displays as a table; `toDict()` gives the numbers.
 *
 * @example
 * ```ts
 * lepton.evaluate.classificationReport(yTest, model.predict(xTest) as tf.Tensor, { classNames: ["benign", "malignant"] });
 * ```
 */
export function classificationReport(yTrue: LabelsLike, yPred: LabelsLike, options: ReportOptions = {}): ClassificationReport {
  const t0 = toLabels(yTrue, "yTrue"), p0 = toLabels(yPred, "yPred");
  const scores = precisionRecallF1(t0, p0, { numClasses: options.numClasses ?? options.classNames?.length });
  const names = scores.labels.map((c) => options.classNames?.[c] ?? String(c));
  return new ClassificationReport(scores, accuracy(t0, p0), names, options.digits ?? 2);
}
