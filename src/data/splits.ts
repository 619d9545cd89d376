/**
 * Index-level splits: train/test, train/validation/test, k-fold and stratified k-fold. They work
 * on indices so the same split can be applied to features, labels and any side columns alike.
 */
import { LeptonError } from "../i18n/index";
import { DataFrame } from "./frame";
import { rng } from "./random";

/** Options shared by the splitters. */
export interface SplitOptions {
  /** Random seed; the same seed gives the same split. Default: the lepton.seed(n) seed, else 42. */
  seed?: number;
  /** Keep each class's share equal across parts (needs labels). Default true when labels are given. */
  stratify?: boolean;
  /** Keep the original order (no shuffling). Default false. */
  shuffle?: boolean;
}

/** A part's size as a fraction in (0, 1) or a sample count. */
function partCount(size: number, n: number, what: string): number {
  const count = size > 0 && size < 1 ? Math.round(size * n) : size;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new LeptonError("data:badSplitSize", { what, value: size, n });
  }
  return count;
}

function groupByLabel(labels: ArrayLike<number>): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const g = groups.get(labels[i]);
    if (g) g.push(i);
    else groups.set(labels[i], [i]);
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/** Shares `total` among groups in proportion to their sizes (largest remainder, exact total). */
function proportional(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const raw = sizes.map((s) => (s * total) / n);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i] < sizes[i]) { out[i] += 1; left -= 1; }
  }
  return out;
}

/** Options of {@link trainTestSplit} for a DataFrame. */
export interface FrameSplitOptions {
  /** The test part: a fraction in (0, 1) or a row count. Default 0.2. */
  testSize?: number;
  /** The column whose classes keep their share in both parts (stratified split). */
  stratify?: string;
  /** Random seed; the same seed gives the same split. Default: the lepton.seed(n) seed, else 42. */
  seed?: number;
  /** Keep the original order (no shuffling). Default false. */
  shuffle?: boolean;
}

/**
 * Splits `n` samples into train and test indices, stratified by `labels` when given; or a
 * DataFrame into train and test frames, stratified by a column.
 *
 * @example
 * ```ts
 * const { train, test } = lepton.data.trainTestSplit(100, { testSize: 0.2, labels: y, seed: 1 });
 * const parts = lepton.data.trainTestSplit(df, { testSize: 0.25, stratify: "label", seed: 1 });
 * parts.train.length;
 * ```
 */
export function trainTestSplit(n: number, options?: SplitOptions & { testSize?: number; labels?: ArrayLike<number> }): { train: Int32Array; test: Int32Array };
export function trainTestSplit(df: DataFrame, options?: FrameSplitOptions): { train: DataFrame; test: DataFrame };
export function trainTestSplit(
  data: number | DataFrame,
  options: SplitOptions & { testSize?: number; labels?: ArrayLike<number> } | FrameSplitOptions = {},
): { train: Int32Array; test: Int32Array } | { train: DataFrame; test: DataFrame } {
  if (data instanceof DataFrame) {
    const o = options as FrameSplitOptions;
    const labels = o.stratify === undefined ? undefined : data.labels(o.stratify).labels;
    const idx = trainTestSplit(data.length, { testSize: o.testSize, seed: o.seed, shuffle: o.shuffle, labels, stratify: labels !== undefined });
    return { train: data.take(idx.train), test: data.take(idx.test) };
  }
  if (typeof data !== "number") throw new LeptonError("data:splitInput", { got: data === null ? "null" : Array.isArray(data) ? "array" : typeof data });
  const { train, parts } = splitParts(data, [(options as { testSize?: number }).testSize ?? 0.2], ["testSize"], options as SplitOptions);
  return { train, test: parts[0] };
}

/**
 * Splits `n` samples into train, validation and test indices (stratified by `labels` when given).
 *
 * @example
 * ```ts
 * const { train, val, test } = lepton.data.trainValTestSplit(1000, { valSize: 0.1, testSize: 0.2, labels: y });
 * ```
 */
export function trainValTestSplit(
  n: number,
  options: SplitOptions & { valSize?: number; testSize?: number; labels?: ArrayLike<number> } = {},
): { train: Int32Array; val: Int32Array; test: Int32Array } {
  const { train, parts } = splitParts(n, [options.valSize ?? 0.1, options.testSize ?? 0.2], ["valSize", "testSize"], options);
  return { train, val: parts[0], test: parts[1] };
}

function splitParts(
  n: number,
  sizes: number[],
  names: string[],
  options: SplitOptions & { labels?: ArrayLike<number> },
): { train: Int32Array; parts: Int32Array[] } {
  if (options.labels && options.labels.length !== n) {
    throw new LeptonError("data:labelCountMismatch", { samples: n, labels: options.labels.length });
  }
  const counts = sizes.map((s, i) => partCount(s, n, names[i]));
  if (counts.reduce((a, b) => a + b, 0) >= n) {
    throw new LeptonError("data:badSplitSize", { what: names.join(" + "), value: sizes.join(" + "), n });
  }
  const r = rng(options.seed);
  const shuffle = options.shuffle !== false;
  const stratify = options.labels !== undefined && options.stratify !== false;
  const groups = stratify ? [...groupByLabel(options.labels!).values()] : [Array.from({ length: n }, (_, i) => i)];
  const parts: number[][] = counts.map(() => []);
  const train: number[] = [];
  // Each part's count is shared among classes in proportion; the rest of each class trains.
  const perGroup = counts.map((c) => proportional(groups.map((g) => g.length), c));
  groups.forEach((g, gi) => {
    const idx = shuffle ? r.shuffle(g.slice()) : g;
    let at = 0;
    counts.forEach((_, pi) => {
      const take = perGroup[pi][gi];
      parts[pi].push(...idx.slice(at, at + take));
      at += take;
    });
    train.push(...idx.slice(at));
  });
  const finish = (a: number[]) => {
    const out = Int32Array.from(a);
    return shuffle ? r.shuffle(out) : out.sort();
  };
  return { train: finish(train), parts: parts.map(finish) };
}

/** One fold of a k-fold split. */
export interface Fold {
  /** Fold number, from 0. */
  fold: number;
  train: Int32Array;
  val: Int32Array;
}

/**
 * K-fold cross-validation indices: every sample is in exactly one validation fold. With `labels`
 * (and `stratify` not false) the folds are stratified.
 *
 * @example
 * ```ts
 * for (const { fold, train, val } of lepton.data.kFold(150, 5, { labels: y, seed: 0 })) { ... }
 * ```
 */
export function kFold(n: number, k = 5, options: SplitOptions & { labels?: ArrayLike<number> } = {}): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new LeptonError("data:badFoldCount", { k, n });
  if (options.labels && options.labels.length !== n) {
    throw new LeptonError("data:labelCountMismatch", { samples: n, labels: options.labels.length });
  }
  const r = rng(options.seed);
  const shuffle = options.shuffle !== false;
  const stratify = options.labels !== undefined && options.stratify !== false;
  const assignment = new Int32Array(n);
  if (stratify) {
    // Deal each class's (shuffled) samples round-robin, continuing where the last class stopped,
    // so fold sizes differ by at most one and class shares stay equal.
    let next = 0;
    for (const g of groupByLabel(options.labels!).values()) {
      const idx = shuffle ? r.shuffle(g.slice()) : g;
      for (const i of idx) { assignment[i] = next; next = (next + 1) % k; }
    }
  } else {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    if (shuffle) r.shuffle(idx);
    const base = Math.floor(n / k), extra = n % k;
    let at = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++) assignment[idx[at++]] = f;
    }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [], val: number[] = [];
    for (let i = 0; i < n; i++) (assignment[i] === f ? val : train).push(i);
    folds.push({ fold: f, train: Int32Array.from(train), val: Int32Array.from(val) });
  }
  return folds;
}

/**
 * Stratified k-fold: {@link kFold} with labels, requiring at least `k` samples per class.
 *
 * @example
 * ```ts
 * const folds = lepton.data.stratifiedKFold(y, 5, { seed: 0 });
 * ```
 */
export function stratifiedKFold(labels: ArrayLike<number>, k = 5, options: SplitOptions = {}): Fold[] {
  for (const [label, g] of groupByLabel(labels)) {
    if (g.length < k) throw new LeptonError("data:classTooSmallForFolds", { label, count: g.length, k });
  }
  return kFold(labels.length, k, { ...options, labels, stratify: true });
}
