/**
 * Seeded augmentation applied per batch: images (flip, shift, rotate, zoom, crop, noise) and text
 * (character noise over grapheme clusters, so an emoji or a Devanagari syllable is never split).
 */
import { LeptonError } from "../i18n/index";
import { rng as makeRng, type Rng } from "./random";

/** Image augmentation settings; each is off when omitted. */
export interface ImageAugmentOptions {
  /** Mirror left-right with probability 0.5. */
  flip?: boolean;
  /** Largest shift as a fraction of the size (e.g. 0.1). */
  shift?: number;
  /** Largest rotation in degrees (e.g. 15). */
  rotate?: number;
  /** Largest zoom in or out as a fraction (e.g. 0.1 gives 0.9x..1.1x). */
  zoom?: number;
  /** Random crop: keep (1 - crop) of each side at a random place, scaled back up. */
  crop?: number;
  /** Standard deviation of added Gaussian noise. */
  noise?: number;
}

/** An augmentation over a row-major batch `[n, ...sampleShape]`. */
export type Augment = (batch: Float32Array, shape: number[], rng: Rng) => Float32Array;

/**
 * Builds an image augmentation for batches shaped `[n, h, w, c]` (values are resampled
 * bilinearly; pixels from outside the image are 0).
 *
 * @example
 * ```ts
 * const aug = lepton.data.imageAugmenter({ flip: true, rotate: 10, shift: 0.1, noise: 0.02 });
 * for (const { x, y } of lepton.data.batches(train, { batchSize: 64, augment: aug, seed: 1 })) { ... }
 * ```
 */
export function imageAugmenter(options: ImageAugmentOptions): Augment {
  return (batch, shape, r) => {
    if (shape.length !== 4) throw new LeptonError("data:shapeMismatch", { what: "imageAugmenter", expected: "[n, height, width, channels]", actual: `[${shape.join(", ")}]` });
    const [n, h, w, c] = shape;
    const out = new Float32Array(batch.length);
    const per = h * w * c;
    for (let k = 0; k < n; k++) {
      const flip = options.flip && r.next() < 0.5 ? -1 : 1;
      const angle = options.rotate ? ((r.next() * 2 - 1) * options.rotate * Math.PI) / 180 : 0;
      let scale = options.zoom ? 1 + (r.next() * 2 - 1) * options.zoom : 1;
      let dx = options.shift ? (r.next() * 2 - 1) * options.shift * w : 0;
      let dy = options.shift ? (r.next() * 2 - 1) * options.shift * h : 0;
      if (options.crop) {
        // a crop of (1 - crop) of the side, placed at random, scaled up to the full size
        scale *= 1 / (1 - options.crop);
        dx += (r.next() * 2 - 1) * (options.crop / 2) * w * scale;
        dy += (r.next() * 2 - 1) * (options.crop / 2) * h * scale;
      }
      const cos = Math.cos(angle), sin = Math.sin(angle);
      const cx = (w - 1) / 2, cy = (h - 1) / 2;
      const base = k * per;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          // inverse map: output pixel -> source position
          const ox = (x - cx - dx) / scale, oy = (y - cy - dy) / scale;
          const sx = flip * (cos * ox + sin * oy) + cx;
          const sy = -sin * ox + cos * oy + cy;
          const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
          for (let ch = 0; ch < c; ch++) {
            const at = (yy: number, xx: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : batch[base + (yy * w + xx) * c + ch]);
            const v = (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy;
            out[base + (y * w + x) * c + ch] = options.noise ? v + r.normal() * options.noise : v;
          }
        }
      }
    }
    return out;
  };
}

/** Options for {@link charNoise}. */
export interface CharNoiseOptions {
  /** Chance per character (grapheme) of an edit. Default 0.05. */
  rate?: number;
  /** A seed or a random stream. */
  seed?: number | Rng;
}

/**
 * Character noise for text: each grapheme cluster is, with probability `rate`, deleted,
 * doubled, swapped with the next one or replaced by another from the same text.
 *
 * @example
 * ```ts
 * lepton.data.charNoise("人人生而自由 👩‍👩‍👧", { rate: 0.2, seed: 1 });
 * ```
 */
export function charNoise(text: string, options: CharNoiseOptions = {}): string {
  const rate = options.rate ?? 0.05;
  const r = typeof options.seed === "object" ? options.seed : makeRng(options.seed);
  const g = Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  const out: string[] = [];
  for (let i = 0; i < g.length; i++) {
    if (r.next() >= rate || g[i].trim() === "") { out.push(g[i]); continue; }
    const op = r.int(4);
    if (op === 0) continue;
    if (op === 1) out.push(g[i], g[i]);
    else if (op === 2 && i + 1 < g.length) { out.push(g[i + 1], g[i]); i++; }
    else out.push(g[r.int(g.length)]);
  }
  return out.join("");
}
