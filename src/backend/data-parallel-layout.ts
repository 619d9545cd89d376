/**
 * The shared memory of data-parallel training (data-parallel.ts and data-parallel-worker.ts): one
 * SharedArrayBuffer per training step, laid out here once for both sides. Control words are
 * Int32 (Atomics), everything else float32 (int32 inputs and labels are stored bit for bit).
 */
import type * as tf from "@tensorflow/tfjs";

/** Per-replica control words (replica 0 is the calling thread and uses only the global ones). */
export const Ctrl = {
  /** Sequence number of the batch posted to this replica. */
  Job: 0,
  /** Sequence number whose gradients this replica has written. */
  Done: 1,
  /** Rows of the batch for this replica. */
  Rows: 2,
  /** 1 when x holds int32 values. */
  XInt: 3,
  /** 1 when y holds int32 values. */
  YInt: 4,
  /** Seed of this replica's random stream for the step (dropout). */
  Seed: 5,
  /** 1 once the replica failed; its message is in the error text. */
  Error: 6,
  /** 0: a step; 1: stop. */
  Command: 7,
  /** Global (in replica 0's words): sequence number of the averaged gradients. */
  Averaged: 8,
  /** Per replica: sequence number of the step whose averaged gradients it has applied. */
  Applied: 9,
  /** Values per label row in this step (1 for class ids against a model with several outputs per row). */
  YRow: 10,
  /** Global: sequence number of a step whose update every replica skips (the caller failed). */
  Skip: 11,
} as const;
export type CtrlWord = (typeof Ctrl)[keyof typeof Ctrl];
export const CTRL_WORDS = 16;
const ERROR_BYTES = 2048;

/** Sizes that fix the layout. */
export interface LayoutSpec {
  /** Threads in all, the calling one included. */
  replicas: number;
  /** Most rows one replica gets in a step. */
  maxRows: number;
  /** Values per input row and per label row. */
  xRow: number;
  yRow: number;
  /** Number of values of each of the model's weights, in `model.weights` order. */
  weightSizes: number[];
  /** Number of layers (their trainable flags travel with each step). */
  layers: number;
}

/** Typed views on the shared buffer. */
export interface Layout {
  spec: LayoutSpec;
  buffer: SharedArrayBuffer;
  ctrl: Int32Array;
  learningRate: Float64Array;
  trainableLayers: Uint8Array;
  /** Inputs and labels of replica r (r >= 1), float32 views; the same bytes as int32 via `asInt32`. */
  x: Float32Array[];
  y: Float32Array[];
  /** Gradients of replica r, all weights end to end in `model.weights` order. */
  grads: Float32Array[];
  averaged: Float32Array;
  loss: Float32Array;
  errorText: Uint8Array[];
  /** Offset of weight i in a gradient region. */
  weightOffset: number[];
}

/** Lays out (or, given `buffer`, maps) the shared memory for `spec`. */
export function layout(spec: LayoutSpec, buffer?: SharedArrayBuffer): Layout {
  const total = spec.weightSizes.reduce((a, b) => a + b, 0);
  const weightOffset: number[] = [];
  spec.weightSizes.reduce((at, size) => (weightOffset.push(at), at + size), 0);
  const r = spec.replicas;
  let bytes = 0;
  const take = (n: number, unit: number) => {
    bytes = Math.ceil(bytes / 8) * 8;
    const at = bytes;
    bytes += n * unit;
    return at;
  };
  const ctrlAt = take(CTRL_WORDS * r, 4);
  const lrAt = take(1, 8);
  const layersAt = take(spec.layers, 1);
  const xAt = Array.from({ length: r }, () => take(spec.maxRows * spec.xRow, 4));
  const yAt = Array.from({ length: r }, () => take(spec.maxRows * spec.yRow, 4));
  const gradsAt = Array.from({ length: r }, () => take(total, 4));
  const avgAt = take(total, 4);
  const lossAt = take(r, 4);
  const errAt = Array.from({ length: r }, () => take(ERROR_BYTES, 1));
  const buf = buffer ?? new SharedArrayBuffer(bytes);
  return {
    spec,
    buffer: buf,
    ctrl: new Int32Array(buf, ctrlAt, CTRL_WORDS * r),
    learningRate: new Float64Array(buf, lrAt, 1),
    trainableLayers: new Uint8Array(buf, layersAt, spec.layers),
    x: xAt.map((at) => new Float32Array(buf, at, spec.maxRows * spec.xRow)),
    y: yAt.map((at) => new Float32Array(buf, at, spec.maxRows * spec.yRow)),
    grads: gradsAt.map((at) => new Float32Array(buf, at, total)),
    averaged: new Float32Array(buf, avgAt, total),
    loss: new Float32Array(buf, lossAt, r),
    errorText: errAt.map((at) => new Uint8Array(buf, at, ERROR_BYTES)),
    weightOffset,
  };
}

/**
 * Every weight of the model, layer by layer: an order that freezing layers does not change
 * (`model.weights` lists trainable weights first).
 */
export function allWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return model.layers.flatMap((layer) => layer.weights);
}

/** Index of control word `word` of replica `replica`. */
export function word(replica: number, w: CtrlWord): number {
  return replica * CTRL_WORDS + w;
}

/** The same bytes as int32 (inputs or labels that are integer ids). */
export function asInt32(view: Float32Array): Int32Array {
  return new Int32Array(view.buffer, view.byteOffset, view.length);
}

/** Writes an error message (UTF-8, cut to fit) for the other side to read. */
export function writeError(target: Uint8Array, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, target.length - 1);
  target.fill(0);
  target.set(bytes);
}

export function readError(source: Uint8Array): string {
  const end = source.indexOf(0);
  return new TextDecoder().decode(source.slice(0, end < 0 ? source.length : end));
}

/**
 * Waits until `done(value of word i)` holds: polls for up to `spinMicros` first, then sleeps on
 * word `i` until it changes (Atomics.notify), at most `sliceMs` at a time. The value is read once
 * per check and the sleep is on that value, so a change between check and sleep returns at once
 * instead of being missed. The short poll matters in virtual machines, where waking a sleeping
 * thread can take longer than a small model's step.
 */
export function waitUntil(ctrl: Int32Array, i: number, done: (value: number) => boolean, spinMicros = 200, sliceMs = 1000): void {
  const spinUntil = performance.now() + spinMicros / 1000;
  for (;;) {
    const value = Atomics.load(ctrl, i);
    if (done(value)) return;
    if (performance.now() < spinUntil) continue;
    Atomics.wait(ctrl, i, value, sliceMs);
  }
}
