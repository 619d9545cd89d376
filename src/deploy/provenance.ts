/** Provenance of a saved model: where it came from, so a served prediction can be traced back. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";

/** What `lepton.json` records about how a model was made. */
export interface Provenance {
  /** ISO time the bundle was written. */
  created: string;
  /** `sha256:<hex>` of the training data, when given. */
  dataHash?: string;
  /** The random seed used for training, when given. */
  seed?: number;
  lepton: string;
  tfjs: string;
  backend: string;
  node: string;
}

/** The version of lepton in use (from its package.json). */
export function leptonVersion(): string {
  // Walk up from this file: the layout differs between ts-node (src/deploy) and dist (dist/src/deploy).
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "lepton-workbench") return pkg.version ?? "0.0.0";
  }
  return "0.0.0";
}

/**
 * A stable `sha256:` hash of training data: tensors hash their shape, dtype and values; typed
 * arrays their bytes; anything else its JSON form.
 *
 * @example
 * ```ts
 * lepton.deploy.hashData(xTrain); // "sha256:3f2a..."
 * ```
 */
export function hashData(data: unknown): string {
  const h = createHash("sha256");
  const feed = (value: unknown): void => {
    if (value instanceof tf.Tensor) {
      h.update(`${value.dtype}[${value.shape.join(",")}]`);
      const v = value.dataSync();
      h.update(v instanceof Uint8Array || v instanceof Int32Array || v instanceof Float32Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : JSON.stringify(Array.from(v as ArrayLike<unknown>)));
    } else if (ArrayBuffer.isView(value)) {
      h.update(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    } else if (Array.isArray(value) && value.some((v) => v instanceof tf.Tensor)) {
      value.forEach(feed);
    } else {
      h.update(JSON.stringify(value) ?? "undefined");
    }
  };
  feed(data);
  return `sha256:${h.digest("hex")}`;
}

/** Provenance for a bundle being written now. */
export function provenance(options: { data?: unknown; dataHash?: string; seed?: number }): Provenance {
  return {
    created: new Date().toISOString(),
    ...(options.dataHash ? { dataHash: options.dataHash } : options.data !== undefined ? { dataHash: hashData(options.data) } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    lepton: leptonVersion(),
    tfjs: tf.version.tfjs,
    backend: tf.getBackend() ?? "",
    node: process.version,
  };
}
