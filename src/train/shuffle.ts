/**
 * Seeded batch order. The order of epoch `e` depends only on `(seed, e)`, so a resumed run sees the
 * same batches as an uninterrupted one without carrying generator state.
 */

/** mulberry32: a small, fast 32-bit PRNG (deterministic across platforms). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample order of one epoch: a Fisher-Yates shuffle seeded by `(seed, epoch)`, or `0..n-1`. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!shuffle) return order;
  const rand = mulberry32((seed * 1000003 + epoch * 7919 + 17) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}
