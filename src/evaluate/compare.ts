/**
 * Two classifiers on the same test examples: is the difference in accuracy more than chance?
 * McNemar's exact test looks only at the examples where exactly one of the two is right (the
 * discordant pairs): under "equally accurate" each of them is a fair coin. Comparing two
 * accuracies as if they came from different test sets ignores that pairing and is far too
 * conservative or, with reused splits, misleading.
 */
import { formatNumber, formatPercent, t } from "../i18n/index";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { LeptonError } from "../i18n/index";
import { Table } from "./table";
import { sameLength, toLabels, type LabelsLike } from "./inputs";

/** Options of {@link compareClassifiers}. */
export interface CompareOptions {
  /** Names of the two models, in argument order. Default `["A", "B"]`. */
  names?: [string, string];
  /** Significance level for the verdict line. Default 0.05. */
  alpha?: number;
}

/** Counts of the 2x2 table of right/wrong answers, per example. */
export interface AgreementCounts {
  bothRight: number;
  /** The first model right, the second wrong. */
  onlyFirst: number;
  /** The second model right, the first wrong. */
  onlySecond: number;
  bothWrong: number;
}

/** log C(n, k) for k = 0..n, built by the ratio C(n, k) / C(n, k-1) = (n - k + 1) / k. */
function logBinomials(n: number): number[] {
  const out = [0];
  for (let k = 1; k <= n; k++) out.push(out[k - 1] + Math.log((n - k + 1) / k));
  return out;
}

/**
 * Two-sided exact McNemar p-value: `min(1, 2 P(X <= min(b, c)))` for X ~ Binomial(b + c, 1/2),
 * summed in log space so thousands of discordant pairs do not underflow (equals SciPy's
 * `binomtest(min(b, c), b + c, 0.5).pvalue`).
 *
 * @example
 * ```ts
 * lepton.evaluate.mcnemarExactP(3, 7); // 0.344: 10 discordant examples cannot separate 3 from 7
 * ```
 */
export function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const logs = logBinomials(n);
  const m = Math.min(b, c);
  const terms = logs.slice(0, m + 1).map((l) => l - n * Math.LN2);
  const top = Math.max(...terms);
  const tail = Math.exp(top) * terms.reduce((s, l) => s + Math.exp(l - top), 0);
  return Math.min(1, 2 * tail);
}

/** The comparison: both accuracies, the paired difference with its interval, and McNemar's test. */
export class ClassifierComparison implements Displayable {
  constructor(
    readonly names: [string, string],
    readonly counts: AgreementCounts,
    readonly alpha: number,
  ) {}

  /** Examples compared. */
  get n(): number {
    const c = this.counts;
    return c.bothRight + c.onlyFirst + c.onlySecond + c.bothWrong;
  }

  /** Accuracy of each model, in argument order. */
  get accuracy(): [number, number] {
    const c = this.counts;
    return [(c.bothRight + c.onlyFirst) / this.n, (c.bothRight + c.onlySecond) / this.n];
  }

  /** First accuracy minus second. */
  get difference(): number {
    return (this.counts.onlyFirst - this.counts.onlySecond) / this.n;
  }

  /** Standard error of the paired difference, `sqrt(b + c - (b - c)^2 / n) / n`. */
  get standardError(): number {
    const { onlyFirst: b, onlySecond: c } = this.counts;
    return Math.sqrt(Math.max(0, b + c - (b - c) ** 2 / this.n)) / this.n;
  }

  /** Approximate 95% interval of the difference (normal, paired). */
  get interval95(): [number, number] {
    const half = 1.959963984540054 * this.standardError;
    return [this.difference - half, this.difference + half];
  }

  /** Two-sided exact McNemar p-value (1 when the two never disagree on correctness). */
  get pValue(): number {
    return mcnemarExactP(this.counts.onlyFirst, this.counts.onlySecond);
  }

  /** Whether the difference is significant at `alpha`. */
  get significant(): boolean {
    return this.pValue < this.alpha;
  }

  /** The verdict in words (current locale). */
  summary(): string {
    const points = (v: number) => formatNumber(v * 100, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
    const [lo, hi] = this.interval95;
    const key = this.significant ? "evaluate:compareSignificant" : "evaluate:compareNotSignificant";
    return t(key, {
      a: this.names[0], b: this.names[1], diff: points(this.difference), lo: points(lo), hi: points(hi),
      p: formatNumber(this.pValue, { maximumSignificantDigits: 3 }), alpha: formatNumber(this.alpha),
      discordant: formatNumber(this.counts.onlyFirst + this.counts.onlySecond),
    });
  }

  /** The 2x2 table of right / wrong answers, both accuracies and the verdict under it. */
  toTable(): Table {
    const c = this.counts;
    const [accA, accB] = this.accuracy;
    const count = (v: unknown) => formatNumber(v as number);
    const [a, b] = this.names;
    return new Table([
      { key: "row", title: "" },
      { key: "right", title: t("evaluate:compareRight", { name: b }), format: count },
      { key: "wrong", title: t("evaluate:compareWrong", { name: b }), format: count },
      { key: "total", title: t("evaluate:compareTotal"), format: count },
    ], [
      { row: t("evaluate:compareRight", { name: a }), right: c.bothRight, wrong: c.onlyFirst, total: c.bothRight + c.onlyFirst },
      { row: t("evaluate:compareWrong", { name: a }), right: c.onlySecond, wrong: c.bothWrong, total: c.onlySecond + c.bothWrong },
    ], {
      title: t("evaluate:compareTitle", { a, b, n: formatNumber(this.n) }),
      footer: [{ row: t("evaluate:compareTotal"), right: c.bothRight + c.onlySecond, wrong: c.onlyFirst + c.bothWrong, total: this.n }],
      notes: [t("evaluate:compareAccuracies", { a, b, accA: formatPercent(accA, 2), accB: formatPercent(accB, 2) }), this.summary()],
    });
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    return this.toTable()[DISPLAY]();
  }
}

/**
 * Compares two classifiers' predictions on the same examples: each accuracy, the difference with
 * a 95% interval, and McNemar's exact test on the examples where only one of them is right.
 * Predictions are labels, one-hot rows or probabilities (argmax-ed), as for the other metrics.
 *
 * @example
 * ```ts
 * const { test } = await lepton.datasets.load("mnist");
 * const small = await lepton.zoo.load("leptonnet-mnist");
 * const classic = await lepton.zoo.load("lenet5-mnist");
 * lepton.evaluate.compareClassifiers(test.y, small.predict(test.x) as tf.Tensor,
 *   classic.predict(test.x) as tf.Tensor, { names: ["LeptonNet", "LeNet-5"] })
 * // the 2x2 table, both accuracies, the difference with its 95% interval and McNemar's p
 * ```
 */
export function compareClassifiers(yTrue: LabelsLike, predA: LabelsLike, predB: LabelsLike, opts: CompareOptions = {}): ClassifierComparison {
  const truth = toLabels(yTrue, "yTrue");
  const a = toLabels(predA, "predA");
  const b = toLabels(predB, "predB");
  sameLength("yTrue", truth.length, "predA", a.length);
  sameLength("yTrue", truth.length, "predB", b.length);
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new LeptonError("evaluate:badAlpha", { value: alpha });
  const names = opts.names ?? ["A", "B"];
  const counts: AgreementCounts = { bothRight: 0, onlyFirst: 0, onlySecond: 0, bothWrong: 0 };
  truth.forEach((y, i) => {
    const ra = a[i] === y, rb = b[i] === y;
    if (ra && rb) counts.bothRight++;
    else if (ra) counts.onlyFirst++;
    else if (rb) counts.onlySecond++;
    else counts.bothWrong++;
  });
  return new ClassifierComparison([names[0], names[1]], counts, alpha);
}
