/**
 * The bundled MNIST test set (10,000 digits) read from its IDX files with node:zlib.
 */
import * as zlib from "node:zlib";
import { LeptonError } from "../../i18n/index";
import { readBundled } from "./location";

const IMAGES = "mnist/t10k-images-idx3-ubyte.gz";
const LABELS = "mnist/t10k-labels-idx1-ubyte.gz";

/** An IDX file's header and payload. */
export interface Idx {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an (uncompressed) IDX buffer of unsigned bytes: big-endian magic (0x08 type, rank),
 * then one uint32 per dimension.
 */
export function parseIdx(buffer: Buffer, expectedMagic: number, file: string): Idx {
  if (buffer.length < 8) throw new LeptonError("data:idxBadMagic", { path: file, magic: "-", expected: expectedMagic });
  const magic = buffer.readUInt32BE(0);
  if (magic !== expectedMagic) throw new LeptonError("data:idxBadMagic", { path: file, magic, expected: expectedMagic });
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => buffer.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buffer.length - offset !== size) {
    throw new LeptonError("data:fileTruncated", { path: file, expected: size, found: buffer.length - offset });
  }
  return { dims, data: new Uint8Array(buffer.buffer, buffer.byteOffset + offset, size) };
}

/** Raw MNIST test images (uint8, [10000, 28, 28]) and labels. */
export function readMnistRaw(): { images: Uint8Array; labels: Uint8Array; rows: number; cols: number } {
  const images = parseIdx(zlib.gunzipSync(readBundled(IMAGES)), 2051, IMAGES);
  const labels = parseIdx(zlib.gunzipSync(readBundled(LABELS)), 2049, LABELS);
  if (images.dims[0] !== labels.dims[0]) {
    throw new LeptonError("data:labelCountMismatch", { samples: images.dims[0], labels: labels.dims[0] });
  }
  return { images: images.data, labels: labels.data, rows: images.dims[1], cols: images.dims[2] };
}

/** MNIST as floats in 0..1 (row-major, one 28x28x1 image per sample) plus int labels. */
export function readMnist(): { features: Float32Array; labels: Int32Array; sampleShape: number[] } {
  const raw = readMnistRaw();
  const features = new Float32Array(raw.images.length);
  for (let i = 0; i < raw.images.length; i++) features[i] = raw.images[i] / 255;
  return { features, labels: Int32Array.from(raw.labels), sampleShape: [raw.rows, raw.cols, 1] };
}
