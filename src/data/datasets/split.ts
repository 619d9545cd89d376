/**
 * The split objects that `lepton.datasets.load` returns: plain arrays underneath, tensors on demand.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError, t } from "../../i18n/index";
import type { Column } from "../csv/columns";
import { DataFrame } from "../frame";
import { DISPLAY, INSPECT, type MimeBundle } from "../../runtime/host";
import { htmlTable, textTable } from "../../runtime/tables";
import { assertFinite, assertSameLength, assertShape } from "../tensors";

function classCounts(labels: Int32Array, classes: string[]): number[] {
  const counts = new Array<number>(classes.length).fill(0);
  for (const l of labels) counts[l] += 1;
  return counts;
}

function countsBundle(title: string, classes: string[], counts: number[]): MimeBundle {
  const headers = [t("data:col.class"), t("data:col.count")];
  const rows = classes.map((c, i) => [c, counts[i]]);
  return { "text/plain": textTable(headers, rows, title), "text/html": htmlTable(headers, rows, title) };
}

/**
 * One split of a numeric data set: `features` (row-major Float32Array), `labels` (class indices),
 * and the same as tensors through `x` / `y` (created on first use and cached; `dispose()` frees
 * them) or `toTensors()` (fresh tensors the caller owns).
 *
 * @example
 * ```ts
 * const { train } = await lepton.datasets.load("mnist");
 * train.x;        // tf.Tensor4D [8000, 28, 28, 1], float32 in 0..1
 * train.y;        // tf.Tensor1D [8000], int32 class indices
 * train.classes;  // ["0", "1", ..., "9"]
 * train.features; // Float32Array of 8000 * 784 values
 * ```
 */
export class TensorSplit<R extends tf.Rank = tf.Rank> {
  /** "train" or "test". */
  readonly name: string;
  /** All samples, row-major: `length * sampleShape.product` values. */
  readonly features: Float32Array;
  /** One class index per sample (an index into `classes`). */
  readonly labels: Int32Array;
  /** The shape of one sample (`[28, 28, 1]` for MNIST, `[4]` for iris). */
  readonly sampleShape: number[];
  /** Class names, indexed by label. */
  readonly classes: string[];
  /** Names of the features for tabular data (one per column). */
  readonly featureNames: string[] | undefined;
  private cache: { x?: tf.Tensor<R>; y?: tf.Tensor1D } = {};

  constructor(init: {
    name: string; features: Float32Array; labels: Int32Array; sampleShape: number[]; classes: string[]; featureNames?: string[];
  }) {
    const per = init.sampleShape.reduce((a, b) => a * b, 1);
    assertSameLength(init.features.length / per, init.labels.length);
    assertShape(init.name, [init.features.length], [init.labels.length * per]);
    this.name = init.name;
    this.features = init.features;
    this.labels = init.labels;
    this.sampleShape = init.sampleShape;
    this.classes = init.classes;
    this.featureNames = init.featureNames;
  }

  /** Number of samples. */
  get length(): number { return this.labels.length; }

  /** Features as a float32 tensor `[length, ...sampleShape]` (cached; see `dispose`). */
  get x(): tf.Tensor<R> {
    // tf.keep: a first read inside tf.tidy must not hand the tidy our cached tensor to dispose.
    return (this.cache.x ??= tf.keep(this.toTensors().x));
  }

  /** Labels as an int32 tensor `[length]` (cached; see `dispose`). */
  get y(): tf.Tensor1D {
    return (this.cache.y ??= tf.keep(tf.tensor1d(this.labels, "int32")));
  }

  /** Labels one-hot encoded, float32 `[length, classes.length]` (a new tensor). */
  oneHot(): tf.Tensor2D {
    return tf.tidy(() => tf.oneHot(tf.tensor1d(this.labels, "int32"), this.classes.length).toFloat() as tf.Tensor2D);
  }

  /** Fresh tensors (the caller disposes them); refuses NaN/Infinity. */
  toTensors(): { x: tf.Tensor<R>; y: tf.Tensor1D } {
    assertFinite(this.features, this.sampleShape.reduce((a, b) => a * b, 1), this.featureNames);
    return {
      x: tf.tensor(this.features, [this.length, ...this.sampleShape], "float32") as unknown as tf.Tensor<R>,
      y: tf.tensor1d(this.labels, "int32"),
    };
  }

  /** Samples per class, in `classes` order. */
  classCounts(): number[] { return classCounts(this.labels, this.classes); }

  /**
   * A tabular split as a DataFrame: one float32 column per feature, then the class name of each
   * sample in the column `label` (or the name given), for inspecting, grouping and plotting.
   *
   * @example
   * ```ts
   * const { train, test } = await lepton.datasets.load("breast-cancer");
   * const all = lepton.data.DataFrame.concat([train.toFrame({ label: "diagnosis" }), test.toFrame({ label: "diagnosis" })]);
   * all.groupBy("diagnosis").agg({ "worst radius": ["mean", "std"] });
   * ```
   */
  toFrame(options: { label?: string } = {}): DataFrame {
    const names = this.featureNames;
    if (!names || names.length !== this.sampleShape.reduce((a, b) => a * b, 1)) {
      throw new LeptonError("data:toFrameNeedsTabular", { name: this.name, shape: `[${this.sampleShape.join(", ")}]` });
    }
    const k = names.length;
    const cols: Column[] = names.map((_, j) => ({ kind: "number", dtype: "float32", values: Float32Array.from({ length: this.length }, (_, i) => this.features[i * k + j]) }));
    const label = options.label ?? "label";
    cols.push({ kind: "string", dtype: "string", codes: Int32Array.from(this.labels), categories: this.classes.slice() });
    return new DataFrame([...names, label], cols);
  }

  /** Frees the cached `x` / `y` tensors. */
  dispose(): void {
    this.cache.x?.dispose();
    this.cache.y?.dispose();
    this.cache = {};
  }

  /** One line: name, samples, shape of a sample, classes. */
  toString(): string {
    return t("data:splitSummary", { name: this.name, count: this.length, shape: `[${this.sampleShape.join(", ")}]`, classes: this.classes.length });
  }

  [DISPLAY](): MimeBundle {
    return countsBundle(this.toString(), this.classes, this.classCounts());
  }

  /** `console.log` and objects holding the split show the line, not the feature array. */
  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * One split of a text data set: `texts` (one string per sample) and `labels` (class indices).
 * `y` gives the labels as an int32 tensor; texts become tensors through a tokeniser
 * (`lepton.data.text`), e.g. `tok.encodeBatch(split.texts, {length: 64})`.
 *
 * @example
 * ```ts
 * const { train, test } = await lepton.datasets.load("udhr-langid");
 * train.texts[0];   // a sentence
 * train.classes;    // ["arb", "cmn", "deu", ...]
 * ```
 */
export class TextSplit {
  readonly name: string;
  readonly texts: string[];
  readonly labels: Int32Array;
  readonly classes: string[];
  private cachedY: tf.Tensor1D | undefined;

  constructor(init: { name: string; texts: string[]; labels: Int32Array; classes: string[] }) {
    assertSameLength(init.texts.length, init.labels.length);
    this.name = init.name;
    this.texts = init.texts;
    this.labels = init.labels;
    this.classes = init.classes;
  }

  get length(): number { return this.texts.length; }

  /** The texts (the same array as `texts`, for symmetry with {@link TensorSplit}). */
  get x(): string[] { return this.texts; }

  /** Labels as an int32 tensor (cached; see `dispose`). */
  get y(): tf.Tensor1D { return (this.cachedY ??= tf.tensor1d(this.labels, "int32")); }

  /**
   * Texts as a tensor through `encode` (for example a tokeniser's `encodeBatch`) plus labels.
   *
   * @example
   * ```ts
   * const { x, y } = train.toTensors((texts) => tok.encodeBatch(texts, { length: 128 }));
   * ```
   */
  toTensors<T extends tf.Tensor>(encode: (texts: string[]) => T): { x: T; y: tf.Tensor1D } {
    const x = encode(this.texts);
    assertSameLength(x.shape[0], this.length);
    return { x, y: tf.tensor1d(this.labels, "int32") };
  }

  classCounts(): number[] { return classCounts(this.labels, this.classes); }

  /**
   * The split as a DataFrame of two columns: the texts and their class names.
   *
   * @example
   * ```ts
   * const { train } = await lepton.datasets.load("udhr-langid");
   * train.toFrame().valueCounts("label");
   * ```
   */
  toFrame(options: { text?: string; label?: string } = {}): DataFrame {
    return DataFrame.fromColumns({ [options.text ?? "text"]: this.texts })
      .withColumn(options.label ?? "label", { kind: "string", dtype: "string", codes: Int32Array.from(this.labels), categories: this.classes.slice() });
  }

  dispose(): void { this.cachedY?.dispose(); this.cachedY = undefined; }

  /** One line: name, texts, classes. */
  toString(): string {
    return t("data:textSplitSummary", { name: this.name, count: this.length, classes: this.classes.length });
  }

  [DISPLAY](): MimeBundle {
    return countsBundle(this.toString(), this.classes, this.classCounts());
  }

  /** `console.log` and objects holding the split show the line, not every text. */
  [INSPECT](): string {
    return this.toString();
  }
}

/** Rows `indices` of a row-major array with `per` values per row. */
export function takeRows<T extends Float32Array | Int32Array>(values: T, per: number, indices: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length * per);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * per;
    out.set(values.subarray(from, from + per), i * per);
  }
  return out;
}
