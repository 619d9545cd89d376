/**
 * A `tf.io.IOHandler` on node:fs: the pure-JS tfjs has no `file://` handler (that lives in
 * tfjs-node, which we do not ship), so saving and loading the standard `model.json` + weight files
 * goes through this one. Weight files ending in `.gz` are gunzipped on load (the sparse form).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { compactTopology } from "./compact-topology";

/** The parsed `model.json` of the tfjs layers format. */
export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: { [key: string]: {} };
  trainingConfig?: tf.io.TrainingConfig;
}

/** How {@link fileIO} writes weights. */
export interface FileIOOptions {
  /** Weight file name. Default `weights.bin` (`weights.bin.gz` when `gzip`). */
  weightsFile?: string;
  /** Gzip the weight file: zeros (pruned weights) then cost almost nothing on disk. */
  gzip?: boolean;
  /**
   * Write the topology compactly (config fields equal to tfjs's defaults left out, checked by
   * rebuilding; see {@link compactTopology}) and leave out `generatedBy`/`convertedBy`. Default true.
   */
  compact?: boolean;
  /** The model being saved, if at hand: compaction compares with it instead of rebuilding it. */
  source?: tf.LayersModel;
  /** Rewrites the weights before they are written (quantisation). */
  encodeWeights?: (specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer) => { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer };
}

function concatWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  const parts = Array.isArray(data) ? data : [data];
  const buf = Buffer.concat(parts.map((b) => Buffer.from(b)));
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/**
 * Writes model artifacts as `model.json` + one weight file into `dir`; returns the files written.
 * The topology is written as given: {@link fileIO} compacts it first.
 */
export function writeArtifacts(dir: string, artifacts: tf.io.ModelArtifacts, options: FileIOOptions = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  let specs = artifacts.weightSpecs ?? [];
  let data = concatWeightData(artifacts.weightData);
  if (options.encodeWeights) ({ specs, data } = options.encodeWeights(specs, data));
  const weightsFile = options.weightsFile ?? (options.gzip ? "weights.bin.gz" : "weights.bin");
  const bytes = options.gzip ? zlib.gzipSync(Buffer.from(data), { level: 9 }) : Buffer.from(data);
  const json: ModelJson = {
    format: artifacts.format ?? "layers-model",
    ...(options.compact === false ? { generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy ?? null } : {}),
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  fs.writeFileSync(path.join(dir, weightsFile), bytes);
  fs.writeFileSync(path.join(dir, "model.json"), JSON.stringify(json));
  return ["model.json", weightsFile];
}

/** Reads `model.json` and its weight files (any number of groups and shards) from `dir`. */
export function readArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, "model.json");
  if (!fs.existsSync(jsonPath)) throw new LeptonError("deploy:modelJsonMissing", { path: jsonPath });
  let json: ModelJson;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, "utf8")) as ModelJson;
  } catch (cause) {
    throw new LeptonError("deploy:modelJsonInvalid", { path: jsonPath, reason: String(cause) }, { cause });
  }
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) {
      const file = path.resolve(dir, p);
      // A manifest must not point outside its folder (a crafted bundle could read any file).
      if (path.relative(path.resolve(dir), file).startsWith("..")) throw new LeptonError("deploy:weightPathEscapes", { path: p, dir });
      if (!fs.existsSync(file)) throw new LeptonError("deploy:weightFileMissing", { path: file });
      const raw = fs.readFileSync(file);
      buffers.push(p.endsWith(".gz") ? zlib.gunzipSync(raw) : raw);
    }
  }
  const all = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: (json.weightsManifest ?? []).flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/**
 * A tfjs IO handler that saves to and loads from a folder with node:fs, for use with stock
 * `model.save(...)` and `tf.loadLayersModel(...)`.
 *
 * @example
 * ```ts
 * await model.save(lepton.deploy.fileIO("out/mlp"));
 * const again = await tf.loadLayersModel(lepton.deploy.fileIO("out/mlp"));
 * ```
 */
export function fileIO(dir: string, options: FileIOOptions = {}): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const topology = artifacts.modelTopology;
      const compact = options.compact !== false && topology && !(topology instanceof ArrayBuffer);
      const files = writeArtifacts(dir, compact ? { ...artifacts, modelTopology: await compactTopology(topology, options.source) } : artifacts, options);
      const weightDataBytes = fs.statSync(path.join(dir, files[1])).size;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      return readArtifacts(dir);
    },
  };
}

/** Total bytes of the files directly inside `dir` (the size a bundle takes on disk). */
export function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + fs.statSync(path.join(dir, e.name)).size, 0);
}
