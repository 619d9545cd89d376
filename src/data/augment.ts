/**
 * Seeded augmentation applied per batch: images (flip, shift, rotate, zoom, crop, elastic, noise) and text
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
  /**
   * Elastic distortion (Simard et al., 2003): each pixel moves by a random field, uniform in
   * [-1, 1] per pixel, smoothed by a Gaussian of standard deviation `sigma` pixels and scaled by
   * `alpha`. Simard et al. used `{ alpha: 34, sigma: 4 }` on 28x28 digits (about 1.4 pixels of
   * displacement, varying smoothly, so strokes bend the way handwriting does).
   */
  elastic?: { alpha: number; sigma: number };
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
 * const digits = lepton.data.imageAugmenter({ shift: 0.1, elastic: { alpha: 34, sigma: 4 } });
 * for (const { x, y } of lepton.data.batches(train, { batchSize: 64, augment: aug, seed: 1 })) { ... }
 * ```
 */
export function imageAugmenter(options: ImageAugmentOptions): Augment {
  checkOptions(options);
  const elastic = options.elastic ? elasticFields(options.elastic) : undefined;
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
      const field = elastic?.(h, w, r);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          // inverse map: output pixel -> source position
          const ox = (x - cx - dx) / scale, oy = (y - cy - dy) / scale;
          let sx = flip * (cos * ox + sin * oy) + cx;
          let sy = -sin * ox + cos * oy + cy;
          if (field) { sx += field.dx[y * w + x]; sy += field.dy[y * w + x]; }
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

/** Rejects settings that would silently do nothing or destroy the image. */
function checkOptions(o: ImageAugmentOptions): void {
  // Ranges in interval notation, which reads the same in every language.
  const check = (option: string, value: unknown, range: string, ok: (v: number) => boolean, required = false) => {
    if (value === undefined && !required) return;
    if (typeof value === "number" && Number.isFinite(value) && ok(value)) return;
    const shown = typeof value === "number" || value === undefined ? String(value) : JSON.stringify(value);
    throw new LeptonError("data:badAugmentOption", { option, range, value: shown });
  };
  for (const name of ["shift", "zoom", "crop"] as const) check(name, o[name], "[0, 1)", (v) => v >= 0 && v < 1);
  check("rotate", o.rotate, "[0, 180]", (v) => v >= 0 && v <= 180);
  check("noise", o.noise, "[0, ∞)", (v) => v >= 0);
  if (o.elastic !== undefined) {
    const { alpha, sigma } = (o.elastic ?? {}) as { alpha?: unknown; sigma?: unknown };
    check("elastic.alpha", alpha, "[0, ∞)", (v) => v >= 0, true);
    check("elastic.sigma", sigma, "(0, ∞)", (v) => v > 0, true);
  }
}

/**
 * Displacement fields, one per image: uniform noise per pixel, blurred by a separable Gaussian
 * (edges clamped), scaled so `alpha` is the displacement a unit of smoothed noise gives. The
 * kernel is made once per augmenter, not once per image.
 */
function elasticFields({ alpha, sigma }: { alpha: number; sigma: number }): (h: number, w: number, r: Rng) => { dx: Float32Array; dy: Float32Array } {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  // half of a symmetric kernel: half[j] weighs the pixels j to either side
  const half = Float64Array.from({ length: radius + 1 }, (_, j) => Math.exp(-(j * j) / (2 * sigma * sigma)));
  const total = 2 * half.reduce((a, b) => a + b, 0) - half[0];
  for (let j = 0; j <= radius; j++) half[j] /= total;
  return (h, w, r) => {
    // Separable blur with clamped edges: each line is copied into a padded buffer first, so the
    // inner loop has no bounds checks (this runs once per image per epoch).
    const pad = new Float64Array(Math.max(h, w) + 2 * radius);
    const blurLine = (src: Float32Array, dst: Float32Array, start: number, step: number, n: number, scale: number) => {
      for (let i = 0; i < n + 2 * radius; i++) pad[i] = src[start + step * Math.min(n - 1, Math.max(0, i - radius))];
      for (let i = 0; i < n; i++) {
        const c = i + radius;
        let acc = half[0] * pad[c];
        for (let j = 1; j <= radius; j++) acc += half[j] * (pad[c - j] + pad[c + j]);
        dst[start + step * i] = acc * scale;
      }
    };
    const blurred = () => {
      const noise = new Float32Array(h * w);
      for (let i = 0; i < noise.length; i++) noise[i] = r.next() * 2 - 1;
      const rows = new Float32Array(h * w);
      for (let y = 0; y < h; y++) blurLine(noise, rows, y * w, 1, w, 1);
      const out = new Float32Array(h * w);
      for (let x = 0; x < w; x++) blurLine(rows, out, x, w, h, alpha);
      return out;
    };
    const dx = blurred();
    return { dx, dy: blurred() };
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
