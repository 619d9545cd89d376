/**
 * Saved preprocessing: a fitted transform is stored as JSON (`{kind, ...}`) in `lepton.json` and
 * rebuilt at load time by the function registered for its `kind`, so the server can take raw
 * features. Any object with `toJSON()` returning `{kind, ...}`, or such a plain object, can be saved.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** The JSON form of a fitted preprocessing step. */
export interface PreprocessingJSON {
  kind: string;
  [key: string]: unknown;
}

/** What a rebuilt preprocessing step does: raw rows in, a numeric matrix (or tensor) out. */
export interface Preprocessor {
  /** Turns raw rows (objects keyed by feature name, or arrays) into model inputs, one row each. */
  transform(rows: unknown[]): number[][] | number[] | tf.Tensor | Float32Array;
  /** Feature names the rows are expected to carry, when known. */
  readonly features?: string[];
  toJSON?(): PreprocessingJSON;
}

/** The kind under which `lepton.data` transforms (`{type, ...}` JSON) are stored; see data-transforms.ts. */
export const DATA_TRANSFORM_KIND = "lepton.data.transform";

const registry = new Map<string, (json: PreprocessingJSON) => Preprocessor>();

/**
 * Registers how to rebuild a preprocessing step of a given `kind` from its JSON form. Modules
 * that define serialisable transforms call this once; `lepton.load` and the server then use it.
 *
 * @example
 * ```ts
 * lepton.deploy.registerPreprocessor("scale", (j) => ({
 *   transform: (rows) => (rows as number[][]).map((r) => r.map((v) => v * (j.factor as number))),
 * }));
 * ```
 */
export function registerPreprocessor(kind: string, fromJSON: (json: PreprocessingJSON) => Preprocessor): void {
  registry.set(kind, fromJSON);
}

/** The registered kinds (for error messages and inspection). */
export function preprocessorKinds(): string[] {
  return [...registry.keys()].sort();
}

/** Turns what the user passed as `preprocessing` into its JSON form (or throws, saying what is accepted). */
export function preprocessingToJSON(value: unknown): PreprocessingJSON {
  const candidate = value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function"
    ? (value as { toJSON(): unknown }).toJSON()
    : value;
  if (candidate !== null && typeof candidate === "object" && typeof (candidate as { kind?: unknown }).kind !== "string" && typeof (candidate as { type?: unknown }).type === "string") {
    // lepton.data transforms serialise as {type, columns, ...}: stored wrapped, see data-transforms.ts.
    return { kind: DATA_TRANSFORM_KIND, transform: JSON.parse(JSON.stringify(candidate)) as unknown };
  }
  if (candidate === null || typeof candidate !== "object" || typeof (candidate as { kind?: unknown }).kind !== "string") {
    throw new LeptonError("deploy:preprocessingNotSerialisable", { got: typeof candidate });
  }
  // A JSON round trip drops functions and proves the form survives being written to disk.
  return JSON.parse(JSON.stringify(candidate)) as PreprocessingJSON;
}

/** Rebuilds a preprocessing step from its JSON form through the registry. */
export function preprocessingFromJSON(json: PreprocessingJSON): Preprocessor {
  const make = registry.get(json.kind);
  if (!make) throw new LeptonError("deploy:unknownPreprocessor", { kind: json.kind, kinds: preprocessorKinds().join(", ") || "-" });
  return make(json);
}
