/**
 * Seeded randomness for the data module (splits, shuffles, augmentation), on top of the backend's
 * seeded streams (`src/backend/random.ts`), so `lepton.seed(n)` governs data randomness too.
 *
 * The seed of a data function is, in order: its own `seed` option, the global `lepton.seed(n)`,
 * else a fixed default, so results are reproducible even when no seed was given.
 */
import { currentSeed, type RandomStream, streamFromSeed } from "../backend/random";

/** A seeded random stream (the backend's type). */
export type Rng = RandomStream;

/** The seed used when neither an option nor `lepton.seed(n)` gives one. */
export const DEFAULT_SEED = 42;

/** The effective seed: the given one, else the global seed, else {@link DEFAULT_SEED}. */
export function resolveSeed(seed?: number): number {
  return seed ?? currentSeed() ?? DEFAULT_SEED;
}

/**
 * Creates a seeded random stream; the same seed always gives the same sequence.
 *
 * @example
 * ```ts
 * const r = lepton.data.rng(42);
 * r.next(); r.int(10); r.shuffle([1, 2, 3]);
 * ```
 */
export function rng(seed?: number): Rng {
  return streamFromSeed(resolveSeed(seed));
}
