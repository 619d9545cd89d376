/**
 * The model bundle: `model.json` + weights (the standard tfjs layers format) and `lepton.json`
 * with everything else a served model needs (preprocessing, labels, signature, metrics,
 * provenance), in integer version folders `dir/<name>/<version>/`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { quantizeWeightData, type WeightDtype } from "../compress/quantize";
import { privacySummary, type PrivacyInput, type PrivacySummary } from "../data/privacy/summary";
import { fileIO, folderBytes } from "./file-io";
import { InferenceRunner, type Prediction } from "./inference";
import { inferenceModel } from "./inference-graph";
import "./data-transforms";
import { DATA_TRANSFORM_KIND, preprocessingFromJSON, preprocessingToJSON, type PreprocessingJSON, type Preprocessor } from "./preprocessing";
import { provenance, type Provenance } from "./provenance";
import { inferTask, signatureOf, type Signature, type Task } from "./signature";
import { checkModelName, classifyFolder, listModels, listVersions } from "./versions";

/** The contents of `lepton.json`. */
export interface BundleManifest {
  format: "lepton-bundle";
  formatVersion: 1;
  name: string;
  version: number;
  task: Task;
  signature: Signature;
  labels?: string[];
  preprocessing?: PreprocessingJSON;
  metrics?: Record<string, number>;
  metadata?: Record<string, unknown>;
  /** How the weights are stored; `inferenceOnly` when batch norms were folded on saving. */
  weights: { dtype: WeightDtype; gzip: boolean; inferenceOnly?: boolean };
  provenance: Provenance;
  /** Personal data found in the training data and the transforms applied to it (lepton.data.privacy). */
  privacy?: PrivacySummary;
}

/** Options of {@link save}. */
export interface SaveOptions {
  /** Model name: the folder under `dir`. Default `"model"`. */
  name?: string;
  /** Version number. Default: one more than the highest saved version (1 for the first). */
  version?: number;
  /** Fitted preprocessing: an object with `toJSON()` giving `{kind, ...}`, or that JSON itself. */
  preprocessing?: unknown;
  /** Class labels in the order of the model's outputs. */
  labels?: string[];
  /** Raw feature names, in input order (tabular models); lets clients send `{feature: value}` rows. */
  features?: string[];
  /** Columns of the transformed frame fed to the model (lepton.data transforms). Default: all of them. */
  inputColumns?: string[];
  /** Evaluation metrics to keep with the model (`{accuracy: 0.97}`). */
  metrics?: Record<string, number>;
  /** Anything else worth keeping (JSON). */
  metadata?: Record<string, unknown>;
  /** Training data (tensor, array) to hash into the provenance, or its hash. */
  data?: unknown;
  dataHash?: string;
  /** The seed training used. */
  seed?: number;
  /** Store weights as float16 or affine uint8 (stock tfjs dequantises on load). Default float32. */
  quantize?: WeightDtype;
  /** Gzip the weight file (worth it for pruned models). */
  gzip?: boolean;
  /**
   * Write the inference graph: batch norms folded into the layer before them and ReLUs fused
   * (fewer layers and weights, faster anywhere it runs; it can no longer be trained as it was).
   * Checked against the model on random inputs; the model as it is is written otherwise. Default false.
   */
  inferenceOnly?: boolean;
  /** Write into `dir` itself instead of `dir/<name>/<version>/`. */
  flat?: boolean;
  /** Privacy transforms applied to the training data: `protect()`'s log or result, `detectPII()`'s report, or a list of them. */
  privacy?: PrivacyInput;
}

/** Where {@link save} wrote the bundle. */
export interface SavedBundle {
  dir: string;
  name: string;
  version: number;
  /** Bytes on disk of the whole version folder. */
  bytes: number;
}

/** Options of {@link load}. */
export interface LoadOptions {
  /** Which model of a repository folder (needed when it holds several). */
  name?: string;
  /** Which version. Default: the highest. */
  version?: number;
}

/** A loaded bundle: the model with its preprocessing, labels and manifest. */
export interface Bundle {
  model: tf.LayersModel;
  manifest: BundleManifest;
  /** The rebuilt preprocessing (undefined when none was saved). */
  preprocessing?: Preprocessor;
  labels?: string[];
  /** What lepton.data.privacy found and did before training (undefined when not recorded). */
  privacy?: PrivacySummary;
  dir: string;
  name: string;
  version: number;
  /** Raw rows in (feature objects or arrays), labels and probabilities (or values) out. */
  predict(rows: unknown[]): Promise<Prediction[]>;
}

async function writeBundle(model: tf.LayersModel, dir: string, manifest: BundleManifest, options: SaveOptions): Promise<void> {
  const dtype = options.quantize ?? "float32";
  // The inference-only graph when asked for (and when anything folds); the caller's model stays as it is.
  const folded = options.inferenceOnly ? await inferenceModel(model) : undefined;
  const written = folded ?? model;
  try {
    await written.save(
      fileIO(dir, {
        source: written,
        gzip: options.gzip,
        encodeWeights: dtype === "float32" ? undefined : (specs, data) => quantizeWeightData(specs, data, dtype),
      }),
    );
  } finally {
    folded?.dispose();
  }
  const stored = folded ? { ...manifest, weights: { ...manifest.weights, inferenceOnly: true } } : manifest;
  fs.writeFileSync(path.join(dir, "lepton.json"), JSON.stringify(stored, null, 2));
}

/**
 * Saves a model with everything needed to serve it: `dir/<name>/<version>/model.json`, the
 * weights, and `lepton.json` (preprocessing, labels, input signature, metrics, provenance). A
 * version folder appears complete or not at all (written aside, then renamed), so a running
 * server never picks up half a model.
 *
 * @example
 * ```ts
 * const saved = await lepton.save(model, "models", {
 *   name: "iris", labels: ["setosa", "versicolor", "virginica"],
 *   features: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
 *   preprocessing: scaler, metrics: { accuracy: 0.97 }, seed: 42,
 * });
 * saved.dir; // "models/iris/1"
 * ```
 */
export async function save(model: tf.LayersModel, dir: string, options: SaveOptions = {}): Promise<SavedBundle> {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("deploy:notAModel", { got: typeof model });
  const name = checkModelName(options.name ?? "model");
  const modelDir = path.resolve(dir, name);
  const version = options.version ?? (options.flat ? 1 : (listVersions(modelDir).at(-1) ?? 0) + 1);
  if (!Number.isInteger(version) || version < 0) throw new LeptonError("deploy:badVersion", { version: String(version) });
  const labels = options.labels?.map(String);
  let preprocessing = options.preprocessing === undefined ? undefined : preprocessingToJSON(options.preprocessing);
  const prepFeatures = (options.preprocessing as { features?: unknown } | undefined)?.features;
  const features = options.features ?? (Array.isArray(prepFeatures) ? prepFeatures.map(String) : undefined);
  if (preprocessing?.kind === DATA_TRANSFORM_KIND) {
    preprocessing = { ...preprocessing, ...(features ? { features } : {}), ...(options.inputColumns ? { inputColumns: options.inputColumns } : {}) };
  }
  const manifest: BundleManifest = {
    format: "lepton-bundle",
    formatVersion: 1,
    name,
    version,
    task: inferTask(model, labels),
    signature: signatureOf(model, features),
    ...(labels ? { labels } : {}),
    ...(preprocessing ? { preprocessing } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.metadata ? { metadata: JSON.parse(JSON.stringify(options.metadata)) as Record<string, unknown> } : {}),
    weights: { dtype: options.quantize ?? "float32", gzip: Boolean(options.gzip) },
    provenance: provenance(options),
    ...(options.privacy !== undefined ? { privacy: privacySummary(options.privacy) } : {}),
  };
  if (options.flat) {
    const target = path.resolve(dir);
    await writeBundle(model, target, manifest, options);
    return { dir: target, name, version, bytes: folderBytes(target) };
  }
  const target = path.join(modelDir, String(version));
  if (fs.existsSync(target)) throw new LeptonError("deploy:versionExists", { path: target });
  const staging = path.join(modelDir, `.staging-${version}-${process.pid}-${Date.now().toString(36)}`);
  try {
    await writeBundle(model, staging, manifest, options);
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { dir: target, name, version, bytes: folderBytes(target) };
}

/** Finds the version folder that `load(dir, options)` means. */
export function resolveBundleDir(dir: string, options: LoadOptions = {}): string {
  const found = classifyFolder(dir);
  if (found.kind === "bundle") return found.dir;
  let modelDir = found.dir;
  if (found.kind === "repository") {
    const models = listModels(found.dir);
    const name = options.name ?? (models.length === 1 ? models[0] : undefined);
    if (!name || !models.includes(name)) throw new LeptonError("deploy:whichModel", { path: found.dir, models: models.join(", "), name: options.name ?? "" });
    modelDir = path.join(found.dir, name);
  }
  const versions = listVersions(modelDir);
  const version = options.version ?? versions.at(-1);
  if (version === undefined || !versions.includes(version)) throw new LeptonError("deploy:noSuchVersion", { path: modelDir, version: String(options.version), versions: versions.join(", ") });
  return path.join(modelDir, String(version));
}

/** Reads `lepton.json`; a plain tfjs model folder (no lepton.json) gets a manifest derived from the model. */
function readManifest(dir: string, model: tf.LayersModel): BundleManifest {
  const file = path.join(dir, "lepton.json");
  if (fs.existsSync(file)) {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as BundleManifest;
    } catch (cause) {
      throw new LeptonError("deploy:manifestInvalid", { path: file, reason: String(cause) }, { cause });
    }
  }
  const version = Number(path.basename(dir));
  return {
    format: "lepton-bundle",
    formatVersion: 1,
    name: path.basename(Number.isInteger(version) ? path.dirname(dir) : dir),
    version: Number.isInteger(version) ? version : 1,
    task: inferTask(model),
    signature: signatureOf(model),
    weights: { dtype: "float32", gzip: false },
    provenance: { created: fs.statSync(path.join(dir, "model.json")).mtime.toISOString(), lepton: "", tfjs: "", backend: "", node: "" },
  };
}

/** Builds the runner that `Bundle.predict` and the server share. */
export function runnerOf(bundle: Pick<Bundle, "model" | "manifest" | "preprocessing">): InferenceRunner {
  const m = bundle.manifest;
  return new InferenceRunner(bundle.model, m.signature, m.task, m.labels, bundle.preprocessing);
}

/**
 * Loads a bundle written by {@link save}: the model (through stock `tf.loadLayersModel`), the
 * rebuilt preprocessing, labels, signature, metrics and provenance. `dir` may be a version
 * folder, a model folder (highest version) or a repository (give `name` if it holds several).
 *
 * @example
 * ```ts
 * const bundle = await lepton.load("models/iris");
 * await bundle.predict([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
 * // [{ label: "setosa", probabilities: [0.97, 0.02, 0.01] }]
 * ```
 */
export async function load(dir: string, options: LoadOptions = {}): Promise<Bundle> {
  const versionDir = resolveBundleDir(dir, options);
  const model = await tf.loadLayersModel(fileIO(versionDir));
  const manifest = readManifest(versionDir, model);
  const preprocessing = manifest.preprocessing ? preprocessingFromJSON(manifest.preprocessing) : undefined;
  let runner: InferenceRunner | undefined;
  const bundle: Bundle = {
    model,
    manifest,
    preprocessing,
    labels: manifest.labels,
    privacy: manifest.privacy,
    dir: versionDir,
    name: manifest.name,
    version: manifest.version,
    async predict(rows: unknown[]): Promise<Prediction[]> {
      runner ??= runnerOf(bundle);
      const { data, n } = runner.prepare(rows, "rows");
      const { values, width } = await runner.run(data, n);
      return runner.decode(values, width, n);
    },
  };
  return bundle;
}
