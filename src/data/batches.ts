/**
 * Batching with seeded shuffling (and optional per-batch augmentation) for arrays in memory, and
 * streaming batches from CSV files larger than memory.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { cellSignal } from "../runtime/host";
import type { Augment } from "./augment";
import type { CsvOptions } from "./csv/parser";
import { csvBatches } from "./csv/read";
import { resolveSeed, rng } from "./random";
import { assertSameLength } from "./tensors";

/** Options for {@link batches}. */
export interface BatchOptions {
  batchSize?: number;
  /** Shuffle each epoch. Default true. */
  shuffle?: boolean;
  /** Seed; with `epoch`, the order is reproducible and differs per epoch. */
  seed?: number;
  epoch?: number;
  /** Leave out a last short batch. Default false. */
  dropRemainder?: boolean;
  /** Applied to each batch's features (see `imageAugmenter`). */
  augment?: Augment;
}

/** What the batchers accept: a data set split or plain arrays. */
export interface ArraySource {
  features: Float32Array;
  labels: Int32Array;
  sampleShape: number[];
}

/** One batch: features, labels and which samples they are. The caller disposes x and y. */
export interface Batch { x: tf.Tensor; y: tf.Tensor1D; indices: Int32Array }

/**
 * Yields shuffled batches as tensors; stops cleanly when the notebook cell is interrupted.
 *
 * @example
 * ```ts
 * for (const { x, y } of lepton.data.batches(train, { batchSize: 32, seed: 1, epoch })) {
 *   await model.trainOnBatch(x, y); x.dispose(); y.dispose();
 * }
 * ```
 */
export function* batches(source: ArraySource, options: BatchOptions = {}): Generator<Batch> {
  const per = source.sampleShape.reduce((a, b) => a * b, 1);
  const n = source.labels.length;
  assertSameLength(source.features.length / per, n);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new LeptonError("data:badBatchSize", { value: batchSize });
  const seed = resolveSeed(options.seed) + 7919 * (options.epoch ?? 0);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const r = rng(seed);
  if (options.shuffle !== false) r.shuffle(order);
  for (let start = 0; start < n; start += batchSize) {
    if (cellSignal()?.aborted) return;
    const idx = order.subarray(start, Math.min(n, start + batchSize));
    if (idx.length < batchSize && options.dropRemainder) return;
    let x = new Float32Array(idx.length * per);
    const y = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      x.set(source.features.subarray(idx[i] * per, (idx[i] + 1) * per), i * per);
      y[i] = source.labels[idx[i]];
    }
    const shape = [idx.length, ...source.sampleShape];
    if (options.augment) x = options.augment(x, shape, r.fork());
    yield { x: tf.tensor(x, shape, "float32"), y: tf.tensor1d(y, "int32"), indices: idx.slice() };
  }
}

/** Options for {@link streamBatches}. */
export interface StreamOptions extends CsvOptions {
  /** Feature columns (numbers). */
  features: string[];
  /** Label column. */
  label: string;
  /** Class names in label-code order; default: the order labels first appear. */
  classes?: string[];
  batchSize?: number;
  /** Rows read and shuffled together (a block shuffle; larger = closer to a full shuffle). */
  shuffleRows?: number;
  seed?: number;
}

/**
 * Streams training batches from a CSV file without loading it whole: blocks of `shuffleRows` rows
 * are read, shuffled with the seed and cut into batches, so memory stays bounded.
 *
 * @example
 * ```ts
 * for await (const { x, y } of lepton.data.streamBatches("big.csv", { features, label: "y", batchSize: 256 })) { ... }
 * ```
 */
export async function* streamBatches(file: string, options: StreamOptions): AsyncGenerator<Batch & { classes: string[] }> {
  const batchSize = options.batchSize ?? 256;
  const r = rng(options.seed);
  const per = options.features.length;
  let seen = 0;
  for await (const block of csvBatches(file, { ...options, batchRows: Math.max(batchSize, options.shuffleRows ?? 65536) })) {
    if (cellSignal()?.aborted) return;
    const x = block.toFloat32(options.features);
    const col = block.column(options.label);
    let labels: Int32Array, classes: string[];
    if (col.kind === "string") {
      classes = options.classes ?? col.categories;
      const remap = col.categories.map((c) => classes.indexOf(c));
      labels = Int32Array.from(col.codes, (c, i) => {
        if (c < 0) throw new LeptonError("data:missingLabel", { column: options.label, row: seen + i + 1 });
        if (remap[c] < 0) throw new LeptonError("data:unknownLabel", { column: options.label, label: col.categories[c], row: seen + i + 1, known: classes.join(", ") });
        return remap[c];
      });
    } else {
      labels = Int32Array.from(col.values);
      classes = options.classes ?? [];
    }
    for (const b of batches({ features: x, labels, sampleShape: [per] }, { batchSize, seed: r.int(2 ** 31) })) {
      yield { ...b, indices: b.indices.map((i) => i + seen), classes };
    }
    seen += block.length;
  }
}
