/**
 * JPEG decoding through jpeg-js (pure JavaScript, no native code, no tfjs-node).
 */
import * as jpeg from "jpeg-js";
import { LeptonError } from "../../i18n/index";
import type { RawImage } from "./png";

/**
 * Decodes a baseline or progressive JPEG into 8-bit RGB pixels.
 *
 * @example
 * ```ts
 * const img = lepton.data.decodeJpeg(fs.readFileSync("cat.jpg"));
 * img.width; img.height; img.channels; // 3
 * ```
 */
export function decodeJpeg(bytes: Uint8Array, source = "<bytes>"): RawImage {
  try {
    const out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
    return { width: out.width, height: out.height, channels: 3, data: out.data };
  } catch (e) {
    throw new LeptonError("data:imageCorrupt", { path: source, reason: (e as Error).message }, { cause: e });
  }
}
