/**
 * Model files on disk (`model.json` + `weights.bin`, the tfjs layers format) without tfjs-node:
 * the pure-JS tfjs has no `file://` handler, so we write the artifacts ourselves.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Writes `model.json` and `weights.bin` into `dir` (created if missing). */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData
        ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
        : Buffer.alloc(0);
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      fs.writeFileSync(path.join(dir, "weights.bin"), weights);
      fs.writeFileSync(path.join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.length } };
    }),
  );
}

/** Reads the artifacts that {@link saveModelFiles} wrote. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, "model.json");
  if (!fs.existsSync(jsonPath)) throw new LeptonError("zoo:modelFilesMissing", { path: jsonPath });
  const json = JSON.parse(fs.readFileSync(jsonPath, "utf8")) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    userDefinedMetadata?: { [key: string]: {} };
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/** Loads a layers model saved by {@link saveModelFiles}. */
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  const artifacts = readModelArtifacts(dir);
  return tf.loadLayersModel({ load: async () => artifacts });
}

/** Copies the weights stored in `dir` into an existing model of the same architecture. */
export function loadWeightsInto(model: tf.LayersModel, dir: string): void {
  const artifacts = readModelArtifacts(dir);
  const named = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
  const byName = new Map(Object.entries(named));
  // Match by position: weight names get uniquified suffixes when several models exist in a session.
  const specs = artifacts.weightSpecs ?? [];
  const values = specs.map((s) => byName.get(s.name) as tf.Tensor);
  model.setWeights(values);
  tf.dispose(values);
}
