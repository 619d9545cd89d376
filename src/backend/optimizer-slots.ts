/**
 * tfjs 4.22's optimizers keep their per-variable state (Adam's moments, momentum, ...) in arrays
 * indexed by the position of the variable in the gradient list of the call, not by its name. When
 * the trainable set changes between steps (a layer frozen or unfrozen: two-stage fine-tuning, a
 * callback), position i then holds another variable's state: tfjs's own update fails on the shape
 * mismatch, and an update that trusts the shapes (the fused wasm one) read the wrong buffers.
 *
 * Which variable each position belongs to is remembered here from the previous update (not read
 * from the slots' names: state restored from a checkpoint into a rebuilt model carries the old
 * model's names, and tfjs matches it by position), and the arrays are reordered when the list
 * changes, keeping the state of frozen variables for when they are trained again.
 */
import type * as tf from "@tensorflow/tfjs";

/** Variable name at each slot position, as of the optimizer's last update. */
const positions = new WeakMap<tf.Optimizer, string[]>();

const isSlotArray = (v: unknown): v is unknown[] =>
  Array.isArray(v) && v.length > 0 && v.every((s) => s === undefined || s === null || (typeof (s as { originalName?: unknown }).originalName === "string" && (s as { variable?: unknown }).variable !== undefined));

/**
 * Reorders every slot array of `optimizer` so that position i holds the state of `names[i]` (or
 * nothing yet, for a variable it has not updated), with the state of variables not in `names`
 * kept after them. The first call only records the order.
 *
 * @example
 * ```ts
 * alignOptimizerSlots(optimizer, Object.keys(grads)); // then optimizer.applyGradients(grads)
 * ```
 */
export function alignOptimizerSlots(optimizer: tf.Optimizer, names: string[]): void {
  const before = positions.get(optimizer);
  if (!before) {
    positions.set(optimizer, [...names]);
    return;
  }
  if (before.length >= names.length && names.every((n, i) => before[i] === n)) return;
  const wanted = new Set(names);
  const order = [...names, ...before.filter((n) => !wanted.has(n))];
  const from = new Map(before.map((n, i) => [n, i]));
  const state = optimizer as unknown as Record<string, unknown>;
  for (const key of Object.keys(state)) {
    const slots = state[key];
    if (!isSlotArray(slots)) continue;
    state[key] = order.map((n) => {
      const i = from.get(n);
      return i === undefined ? undefined : slots[i];
    });
  }
  positions.set(optimizer, order);
}

/**
 * The variable whose state sits at slot position `i` of `optimizer`: as recorded at its last
 * update, else (state just restored with `setWeights`, which tfjs matches by position) the
 * variable at that position of `trainable`, the list the next update will use.
 *
 * @example
 * ```ts
 * const owner = slotOwner(optimizer, 0, model.trainableWeights.map((w) => (w.read() as tf.Variable).name));
 * ```
 */
export function slotOwner(optimizer: tf.Optimizer, i: number, trainable: string[]): string | undefined {
  return positions.get(optimizer)?.[i] ?? trainable[i];
}
