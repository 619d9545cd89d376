/**
 * Fused optimizer updates on wasm, applied to each variable in one pass over the wasm heap instead
 * of tfjs's 2-13 kernel calls per variable: Adam as a WebAssembly SIMD loop (kernels/adam.wat),
 * SGD and momentum as JavaScript loops.
 *
 * Measured (MLP 784-128-10's weights, medians, loaded 2-core machine): tfjs's Adam 0.9-4.7 ms per
 * update, a JavaScript loop about 0.9 ms (no gain: tfjs's kernels are SIMD, only their per-op
 * overhead is lost), the SIMD loop about 0.15 ms. Without WebAssembly SIMD, Adam is left to tfjs.
 *
 * The update works on the optimizer's own state (its slot variables, `accBeta1/2`, iteration
 * count, learning rate), so checkpoints (`getWeights`/`setWeights`), learning-rate schedules and
 * later `applyGradients` calls see what tfjs's own update would have left; values agree with
 * tfjs's to float32 rounding (about 1e-7 relative per step).
 */
import * as tf from "@tensorflow/tfjs";
import { adamKernel } from "./kernels/adam-simd";
import type { WasmHeapBackend } from "./kernels/heap";
import { alignOptimizerSlots } from "./optimizer-slots";

interface HeapBackend extends WasmHeapBackend {
  refCount(dataId: object): number;
  wasm?: { asm?: { memory?: WebAssembly.Memory } };
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The fields of tfjs 4.22's optimizers that the fused updates read and write. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}
interface MomentumState {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  accumulations: Slot[];
}
interface Iterating {
  incrementIterations(): void;
}

const f = Math.fround;

/**
 * Makes sure a slot variable's buffer is its own, so that writing it in place changes nothing else.
 * Call before taking heap views: the copy may grow (and detach) the heap.
 */
function own(backend: HeapBackend, v: tf.Variable): void {
  if (backend.refCount(v.dataId) === 1) return;
  // Another tensor (a reshape kept somewhere) shares this buffer: give the variable its own copy.
  const copy = tf.engine().makeTensorFromTensorInfo(backend.makeOutput(v.shape, "float32"));
  view(backend, copy).set(view(backend, v));
  v.assign(copy);
  copy.dispose();
}

function view(backend: HeapBackend, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

function zeroSlot(value: tf.Variable, name: string): Slot {
  // Same construction and naming as tfjs's optimizers, so getWeights() is unchanged.
  return { originalName: name, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
}

type Entry = { name: string; value: tf.Variable; grad: tf.Tensor | null };

function entries(grads: tf.NamedTensorMap): Entry[] {
  const vars = tf.engine().registeredVariables;
  return Object.keys(grads).map((name) => ({ name, value: vars[name], grad: grads[name] ?? null }));
}

/**
 * New weights go to a new buffer that the variable then points at. Writing weights in place would
 * be wrong on wasm: XNNPACK packs a matmul's or convolution's weights once and caches the packed
 * copy under the tensor's id until that tensor's data is freed, so in-place changes go unseen.
 */
type Update = (w: Float32Array, g: Float32Array, out: Float32Array, i: number) => void;

function updateWeights(backend: HeapBackend, list: Entry[], update: Update): void {
  const outs = list.map(({ value, grad }) => (grad ? tf.engine().makeTensorFromTensorInfo(backend.makeOutput(value.shape, "float32")) : null));
  // Views only after every allocation (allocating may grow and detach the heap).
  list.forEach(({ value, grad }, i) => {
    const out = outs[i];
    if (grad && out) update(view(backend, value), view(backend, grad), view(backend, out), i);
  });
  list.forEach(({ value }, i) => {
    const out = outs[i];
    if (!out) return;
    value.assign(out);
    out.dispose();
  });
}

function adam(backend: HeapBackend, o: AdamState, list: Entry[]): boolean {
  const memory = backend.wasm?.asm?.memory;
  const simd = adamKernel(memory);
  // Without WebAssembly SIMD a JavaScript loop was no faster than tfjs's own ops: leave it to them.
  if (!simd || !memory) return false;
  const b1 = f(o.beta1);
  const b2 = f(o.beta2);
  const c1 = f(1 - o.beta1);
  const c2 = f(1 - o.beta2);
  const eps = f(o.epsilon);
  const acc1 = view(backend, o.accBeta1)[0];
  const acc2 = view(backend, o.accBeta2)[0];
  const d1 = f(1 - acc1);
  const d2 = f(1 - acc2);
  list.forEach(({ name, value }, i) => {
    o.accumulatedFirstMoment[i] ??= zeroSlot(value, `${name}/m`);
    o.accumulatedSecondMoment[i] ??= zeroSlot(value, `${name}/v`);
  });
  // The SIMD loop trusts sizes: state of another size would mean reading past its buffer.
  if (!list.every(({ value }, i) => sameSize(value, o.accumulatedFirstMoment[i].variable) && sameSize(value, o.accumulatedSecondMoment[i].variable))) return false;
  list.forEach((_, i) => {
    own(backend, o.accumulatedFirstMoment[i].variable);
    own(backend, o.accumulatedSecondMoment[i].variable);
  });
  // (m / d1) / (sqrt(v / d2) + eps) · -lr, rearranged to one division and one square root.
  const stepScale = -o.learningRate / d1;
  const rootScale = 1 / Math.sqrt(d2);
  updateWeights(backend, list, (w, g, out, i) => {
    const m = view(backend, o.accumulatedFirstMoment[i].variable);
    const v = view(backend, o.accumulatedSecondMoment[i].variable);
    simd(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, out.byteOffset, w.length, b1, b2, c1, c2, stepScale, rootScale, eps);
  });
  view(backend, o.accBeta1)[0] = f(acc1 * b1);
  view(backend, o.accBeta2)[0] = f(acc2 * b2);
  return true;
}

function sgd(backend: HeapBackend, lr: number, list: Entry[]): void {
  const c = f(-lr);
  updateWeights(backend, list, (w, g, out) => {
    for (let k = 0; k < w.length; k++) out[k] = w[k] + c * g[k];
  });
}

function momentum(backend: HeapBackend, o: MomentumState, list: Entry[]): boolean {
  const c = f(-o.learningRate);
  const mom = f(o.momentum);
  const nesterov = o.useNesterov;
  list.forEach(({ name, value }, i) => {
    o.accumulations[i] ??= zeroSlot(value, `${name}/momentum`);
  });
  if (!list.every(({ value }, i) => sameSize(value, o.accumulations[i].variable))) return false;
  list.forEach((_, i) => own(backend, o.accumulations[i].variable));
  updateWeights(backend, list, (w, g, out, i) => {
    const a = view(backend, o.accumulations[i].variable);
    for (let k = 0; k < w.length; k++) {
      const ak = mom * a[k] + g[k];
      a[k] = ak;
      out[k] = w[k] + c * (nesterov ? g[k] + ak * mom : ak);
    }
  });
  return true;
}

const sameSize = (a: tf.Tensor, b: tf.Tensor) => a.size === b.size;

/** Whether every tensor involved is float32 data on the wasm backend. */
function fusable(list: Entry[]): boolean {
  if (tf.getBackend() !== "wasm") return false;
  return list.every(({ value, grad }) => value !== undefined && value.dtype === "float32" && (!grad || grad.dtype === "float32"));
}

/**
 * Applies `grads` (variable name -> gradient, as `tf.variableGrads` returns them) with
 * `optimizer`'s rule in one pass per variable over the wasm heap. Handles tfjs's Adam (where
 * WebAssembly SIMD is available), SGD and Momentum optimizers on the wasm backend (exact classes,
 * so subclasses with their own rules are left alone) and returns false for anything else, which
 * the caller then applies with `optimizer.applyGradients`.
 *
 * @example
 * ```ts
 * const { grads } = tf.variableGrads(() => loss(model, x, y));
 * if (!lepton.backend.applyGradientsFused(optimizer, grads)) optimizer.applyGradients(grads);
 * ```
 */
export function applyGradientsFused(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): boolean {
  alignOptimizerSlots(optimizer, Object.keys(grads));
  const list = entries(grads);
  if (!fusable(list)) return false;
  const backend = tf.backend() as unknown as HeapBackend;
  const proto = Object.getPrototypeOf(optimizer);
  if (proto === tf.AdamOptimizer.prototype) {
    if (!adam(backend, optimizer as unknown as AdamState, list)) return false;
  } else if (proto === tf.SGDOptimizer.prototype) sgd(backend, (optimizer as unknown as { learningRate: number }).learningRate, list);
  else if (proto === tf.MomentumOptimizer.prototype) {
    if (!momentum(backend, optimizer as unknown as MomentumState, list)) return false;
  }
  else return false;
  (optimizer as unknown as Iterating).incrementIterations();
  return true;
}
