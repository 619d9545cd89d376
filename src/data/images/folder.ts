/**
 * Image folders laid out as `root/<label>/*.png|jpg`: decoded without tfjs-node, resized
 * (bilinear) to one size, as float32 0..1 arrays ready for a tensor.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";
import { TensorSplit } from "../datasets/split";
import { decodeJpeg } from "./jpeg";
import { decodePng, type RawImage } from "./png";

/** Options for {@link readImageFolder}. */
export interface ImageFolderOptions {
  /** Output [height, width]. Default: the first image's size. */
  size?: [number, number];
  /** 1 (grey) or 3 (RGB). Default 3. */
  channels?: 1 | 3;
}

/** Bilinear resize and channel conversion into `out` (float 0..1). */
export function resizeInto(img: RawImage, height: number, width: number, channels: number, out: Float32Array, offset: number): void {
  const sy = img.height / height, sx = img.width / width;
  const pick = (x: number, y: number, c: number): number => {
    const o = (y * img.width + x) * img.channels;
    const colour = img.channels >= 3;
    if (channels === 1) {
      return colour ? 0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2] : img.data[o];
    }
    return colour ? img.data[o + c] : img.data[o];
  };
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5), y0 = Math.floor(fy), y1 = Math.min(img.height - 1, y0 + 1), wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5), x0 = Math.floor(fx), x1 = Math.min(img.width - 1, x0 + 1), wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const top = pick(x0, y0, c) * (1 - wx) + pick(x1, y0, c) * wx;
        const bottom = pick(x0, y1, c) * (1 - wx) + pick(x1, y1, c) * wx;
        out[offset + (y * width + x) * channels + c] = (top * (1 - wy) + bottom * wy) / 255;
      }
    }
  }
}

/** Decodes one image file by its extension (PNG or JPEG). */
export function readImage(file: string): RawImage {
  if (!fs.existsSync(file)) throw new LeptonError("data:fileNotFound", { path: path.resolve(file) });
  if (/\.png$/i.test(file)) return decodePng(fs.readFileSync(file), file);
  if (/\.jpe?g$/i.test(file)) return decodeJpeg(fs.readFileSync(file), file);
  throw new LeptonError("data:imageUnsupported", { path: file, what: path.extname(file) || file });
}

/**
 * Reads `root/<label>/*.png|jpg` into one split: `x` float32 `[n, h, w, c]` in 0..1, `y` class
 * indices (classes are the sub-folder names, sorted).
 *
 * @example
 * ```ts
 * const images = lepton.data.readImageFolder("data/pets", { size: [64, 64] });
 * images.x;        // Tensor4D [n, 64, 64, 3]
 * images.classes;  // ["cat", "dog"]
 * ```
 */
export function readImageFolder(root: string, options: ImageFolderOptions = {}): TensorSplit {
  if (!fs.existsSync(root)) throw new LeptonError("data:fileNotFound", { path: path.resolve(root) });
  const classes = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const files: { file: string; label: number }[] = [];
  classes.forEach((c, label) => {
    for (const f of fs.readdirSync(path.join(root, c)).sort()) {
      if (/\.(png|jpe?g)$/i.test(f)) files.push({ file: path.join(root, c, f), label });
    }
  });
  if (files.length === 0) throw new LeptonError("data:noImages", { path: path.resolve(root) });
  const channels = options.channels ?? 3;
  let size = options.size;
  const per = () => size![0] * size![1] * channels;
  let features: Float32Array | undefined;
  files.forEach(({ file }, i) => {
    const img = readImage(file);
    size ??= [img.height, img.width];
    features ??= new Float32Array(files.length * per());
    resizeInto(img, size[0], size[1], channels, features, i * per());
  });
  return new TensorSplit({
    name: path.basename(root), features: features!, labels: Int32Array.from(files, (f) => f.label),
    sampleShape: [size![0], size![1], channels], classes,
  });
}
