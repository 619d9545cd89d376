/**
 * Seeded batch order. The order of epoch `e` depends only on `(seed, e)`, so a resumed run sees the
 * same batches as an uninterrupted one without carrying generator state.
 */
import { streamFromSeed } from "../backend/random";

/** The sample order of one epoch: a Fisher-Yates shuffle seeded by `(seed, epoch)`, or `0..n-1`. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffle ? streamFromSeed((seed * 1000003 + epoch * 7919 + 17) >>> 0).shuffle(order) : order;
}
