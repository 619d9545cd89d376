/**
 * Global seeding: `lepton.seed(n)` makes weight initialisation, shuffling, dropout and
 * augmentation repeatable.
 *
 * Why Math.random: tfjs has no global seed. Its initialisers, `tf.random*`, `tf.dropout` (and so
 * the Dropout layer) and `fit`'s shuffling all fall back to `Math.random()` when no explicit seed is
 * given (tfjs-core seeds its alea generator from `Math.random()`). Replacing `Math.random` with a
 * seeded stream therefore covers all of them on every backend, because those random numbers are
 * drawn in JavaScript, not in a backend kernel. Covered: initialisers, tf.randomUniform /
 * randomNormal / truncatedNormal / dropout / shuffle without a seed, `model.fit` shuffling, and any
 * lepton code that draws from {@link rng}. Not covered: native code with its own generator
 * (tfjs-node's kernels) and libraries that use `crypto`. `seed(null)` restores the original.
 */
import { LeptonError } from "../i18n/index";

/** A seeded random stream. */
export interface RandomStream {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A standard normal sample. */
  normal(): number;
  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
  /** An independent stream derived from this one (for a worker, an epoch, an augmentation). */
  fork(): RandomStream;
}

/** mulberry32: a fast 32-bit generator with a full 2^32 period, good enough for ML randomness. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates a stream from an integer seed; the same seed always yields the same sequence. */
export function streamFromSeed(seed: number): RandomStream {
  const next = mulberry32(seed);
  const stream: RandomStream = {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      // Box-Muller; 1 - u keeps the logarithm finite.
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    shuffle: (array) => {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    fork: () => streamFromSeed(Math.floor(next() * 4294967296)),
  };
  return stream;
}

const originalRandom = Math.random;
let globalSeed: number | undefined;
let globalStream: RandomStream | undefined;

/**
 * Seeds every source of randomness lepton and tfjs use (see the module notes for what is
 * covered), so two runs from the same seed give identical weights and batches. `seed(null)` goes
 * back to unseeded randomness. Returns the seed.
 *
 * @example
 * ```ts
 * lepton.seed(42);
 * const a = lepton.zoo.mlp({ inputShape: 4, numClasses: 3 });
 * lepton.seed(42);
 * const b = lepton.zoo.mlp({ inputShape: 4, numClasses: 3 }); // same weights as a
 * ```
 */
export function seed(n: number | null): number | undefined {
  if (n === null) {
    Math.random = originalRandom;
    globalSeed = undefined;
    globalStream = undefined;
    return undefined;
  }
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new LeptonError("backend:seedInvalid", { seed: String(n) });
  globalSeed = n;
  globalStream = streamFromSeed(n ^ 0x9e3779b9);
  const stream = globalStream;
  Math.random = () => stream.next();
  return n;
}

/** The seed last passed to {@link seed}, or undefined when unseeded. */
export function currentSeed(): number | undefined {
  return globalSeed;
}

/**
 * A random stream for shuffling and augmentation: forked from the global seeded stream after
 * `lepton.seed(n)` (so it is repeatable), otherwise seeded from `Math.random`.
 *
 * @example
 * ```ts
 * lepton.seed(7);
 * const r = lepton.backend.rng();
 * r.shuffle(indices);
 * const angle = (r.next() - 0.5) * 0.2;
 * ```
 */
export function rng(): RandomStream {
  if (globalStream) return globalStream.fork();
  return streamFromSeed(Math.floor(originalRandom() * 4294967296));
}

/**
 * An integer seed for a tfjs op that takes one (`tf.randomUniform(shape, 0, 1, "float32", s)`),
 * drawn from the global stream so that it is repeatable after `lepton.seed(n)`.
 *
 * @example
 * ```ts
 * const noise = tf.randomNormal([8, 8], 0, 1, "float32", lepton.backend.nextSeed());
 * ```
 */
export function nextSeed(): number {
  return Math.floor((globalStream ? globalStream.next() : originalRandom()) * 2147483647);
}
