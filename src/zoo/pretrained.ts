/**
 * Pretrained weights shipped in the repository (`zoo/weights/<name>/`), produced by
 * `npm run zoo:train` (scripts/zoo-train.ts, seeded). Nothing is downloaded: `load` reads the
 * files beside the package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { loadModelFiles } from "./model-files";
import { PretrainedList, withCardDisplay } from "./pretrained-display";

/** What `card.json` beside each pretrained model records. */
export interface PretrainedCard {
  /** Registry name, e.g. "leptonnet-mnist". */
  name: string;
  /** The zoo architecture and its options. */
  architecture: string;
  options: Record<string, unknown>;
  /** Data set and split it was trained and measured on. */
  dataset: string;
  split: string;
  /** Measured results on the held-out split (accuracy as a fraction, etc.). */
  metrics: Record<string, number>;
  /** Parameter count. */
  params: number;
  /** Hash of the test split's labels and features at training time (see scripts/zoo-train.ts). */
  testSplitFingerprint?: string;
  /** Class labels in output order, when the model is a classifier. */
  labels?: string[];
  /** Extra preprocessing data (vocabulary, normalisation) needed to use the model. */
  preprocessing?: Record<string, unknown>;
  /** Seed and training settings that produced it. */
  training: Record<string, unknown>;
}

/** The folder holding pretrained weights: `<package root>/zoo/weights`, found from this file upwards. */
export function weightsRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "zoo", "weights");
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, "..", "..", "zoo", "weights");
}

/**
 * Names of the pretrained models shipped with lepton.
 *
 * @example
 * ```ts
 * lepton.zoo.available(); // ["breastcancer-mlp", "leptonnet-mnist", ...]
 * ```
 */
export function available(): string[] {
  const root = weightsRoot();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(path.join(root, d, "model.json")))
    .sort();
}

function folderOf(name: string): string {
  const dir = path.join(weightsRoot(), name);
  if (!/^[a-z0-9-]+$/.test(name) || !fs.existsSync(path.join(dir, "model.json"))) {
    throw new LeptonError("zoo:unknownPretrained", { name, available: available().join(", ") || "-" });
  }
  return dir;
}

/**
 * The card of a pretrained model: architecture, data, measured accuracy, labels, preprocessing.
 *
 * @example
 * ```ts
 * lepton.zoo.card("leptonnet-mnist").metrics.accuracy; // e.g. 0.9935
 * lepton.zoo.card("leptonnet-mnist");                  // shows its measurements and training
 * ```
 */
export function card(name: string): PretrainedCard {
  const file = path.join(folderOf(name), "card.json");
  if (!fs.existsSync(file)) throw new LeptonError("zoo:modelFilesMissing", { path: file });
  return withCardDisplay(JSON.parse(fs.readFileSync(file, "utf8")) as PretrainedCard);
}

/**
 * The pretrained models shipped with lepton as a table: architecture, data, measured test
 * accuracy, parameters (`available()` gives the names only).
 *
 * @example
 * ```ts
 * lepton.zoo.list();        // renders the table
 * lepton.zoo.list().cards;  // the cards themselves
 * ```
 */
export function list(): PretrainedList {
  return new PretrainedList(available().map(card));
}

/**
 * Loads a pretrained model shipped with lepton (no download).
 *
 * @example
 * ```ts
 * const model = await lepton.zoo.load("leptonnet-mnist");
 * model.predict(images);
 * ```
 */
export async function load(name: string): Promise<tf.LayersModel> {
  return loadModelFiles(folderOf(name));
}
