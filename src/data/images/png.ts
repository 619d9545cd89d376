/**
 * PNG decoding and encoding with node:zlib only: no image package is installed (no pngjs,
 * jpeg-js or sharp in node_modules) and tfjs-node is not used. Decodes every non-interlaced PNG:
 * grey, grey+alpha, RGB, RGBA and palette, 1-16 bits per sample.
 */
import * as zlib from "node:zlib";
import { LeptonError, t } from "../../i18n/index";

/** A decoded image: 8-bit samples, row-major, `channels` per pixel (1, 2, 3 or 4). */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG file's bytes. `source` names the file in errors.
 *
 * @example
 * ```ts
 * const img = lepton.data.decodePng(fs.readFileSync("cat.png"));  // { width, height, channels, data }
 * ```
 */
export function decodePng(bytes: Uint8Array, source = "<png>"): RawImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new LeptonError("data:imageNotPng", { path: source });
  let pos = 8;
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  let palette: Buffer | undefined;
  const idat: Buffer[] = [];
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = body.readUInt32BE(0); height = body.readUInt32BE(4);
      depth = body[8]; colorType = body[9]; interlace = body[12];
    } else if (type === "PLTE") palette = body;
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  if (interlace !== 0) throw new LeptonError("data:imageUnsupported", { path: source, what: "interlaced PNG" });
  const samples = CHANNELS[colorType];
  if (!samples || width === 0 || height === 0) throw new LeptonError("data:imageNotPng", { path: source });
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const bitsPerPixel = samples * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length < height * (stride + 1)) throw new LeptonError("data:fileTruncated", { path: source, expected: height * (stride + 1), found: raw.length });
  // undo the per-row filters in place
  const lines = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1, dst = y * stride, prev = dst - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? lines[dst + x - bpp] : 0;
      const b = y > 0 ? lines[prev + x] : 0;
      const c = x >= bpp && y > 0 ? lines[prev + x - bpp] : 0;
      const v = raw[src + x];
      lines[dst + x] = filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : paeth(a, b, c) + v;
    }
  }
  const channels = colorType === 3 ? (palette ? 3 : 1) : samples;
  const out = new Uint8Array(width * height * channels);
  const maxSample = (1 << Math.min(depth, 8)) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let s = 0; s < samples; s++) {
        const bit = (x * samples + s) * depth;
        let v: number;
        if (depth === 16) v = lines[y * stride + (bit >> 3)];
        else if (depth === 8) v = lines[y * stride + (bit >> 3)];
        else v = (lines[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        const o = (y * width + x) * channels;
        if (colorType === 3 && palette) {
          out[o] = palette[v * 3]; out[o + 1] = palette[v * 3 + 1]; out[o + 2] = palette[v * 3 + 2];
        } else out[o + s] = depth >= 8 || colorType === 3 ? v : Math.round((v * 255) / maxSample);
      }
    }
  }
  return { width, height, channels, data: out };
}

let crcTable: Int32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * Encodes 8-bit pixels as PNG (for showing images, e.g. augmented samples, in a notebook).
 *
 * @example
 * ```ts
 * const png = lepton.data.encodePng({ width: 28, height: 28, channels: 1, data: bytes });
 * lepton.show({ "image/png": png.toString("base64"), "text/plain": "digit" });
 * ```
 */
export function encodePng(image: RawImage): Buffer {
  const { width, height, channels, data } = image;
  const colorType = ({ 1: 0, 2: 4, 3: 2, 4: 6 } as Record<number, number>)[channels];
  if (colorType === undefined || data.length !== width * height * channels) {
    throw new LeptonError("data:shapeMismatch", { what: "encodePng", expected: `[${height}, ${width}, 1|2|3|4]`, actual: t("data:valueCount", { count: data.length }) });
  }
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = colorType;
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", new Uint8Array(0))]);
}
