/** Transfer learning helpers: freeze / unfreeze by layer or block, and replace the head. */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { classifierHead } from "./architectures/dense";

/** A layer name, a block name (the part before `/` in `block/part`), a list of them, or a pattern. */
export type LayerSelector = string | string[] | RegExp;

function matches(layer: tf.layers.Layer, sel: LayerSelector): boolean {
  if (sel instanceof RegExp) return sel.test(layer.name);
  const names = Array.isArray(sel) ? sel : [sel];
  return names.some((n) => layer.name === n || layer.name.startsWith(`${n}/`));
}

/** The block names of a model: for layers named `block/part`, the part before the last `/`. */
export function blockNames(model: tf.LayersModel): string[] {
  const out = new Set<string>();
  for (const l of model.layers) {
    const parts = l.name.split("/");
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("/"));
  }
  return [...out];
}

function select(model: tf.LayersModel, sel: LayerSelector | undefined): tf.layers.Layer[] {
  if (sel === undefined) return model.layers;
  const chosen = model.layers.filter((l) => matches(l, sel));
  if (chosen.length === 0) {
    throw new LeptonError("zoo:noSuchLayer", { selector: String(sel), available: blockNames(model).slice(0, 40).join(", ") });
  }
  return chosen;
}

/**
 * Freezes layers (their weights stop training). Without a selector, freezes every layer. A
 * string selects a layer by name or a whole block (`"stage1"` freezes `stage1/...`).
 * Returns the names of the layers frozen.
 *
 * @example
 * ```ts
 * lepton.zoo.freeze(model);                 // everything
 * lepton.zoo.unfreeze(model, "head");       // ... but the head
 * lepton.zoo.freeze(model, ["stem", "stage1"]);
 * ```
 */
export function freeze(model: tf.LayersModel, layers?: LayerSelector): string[] {
  return select(model, layers).map((l) => ((l.trainable = false), l.name));
}

/**
 * Unfreezes layers (the opposite of {@link freeze}); without a selector, every layer.
 *
 * @example
 * ```ts
 * lepton.zoo.unfreeze(model, "stage2");
 * ```
 */
export function unfreeze(model: tf.LayersModel, layers?: LayerSelector): string[] {
  return select(model, layers).map((l) => ((l.trainable = true), l.name));
}

/** Options of {@link replaceHead}. */
export interface ReplaceHeadOptions {
  /** Classes of the new head. */
  numClasses: number;
  /** One sigmoid unit for two classes. */
  binary?: boolean;
  /** Layer whose output feeds the new head. Default: the input of the current last layer. */
  from?: string;
  /** Name of the new head layer. Default "head". */
  name?: string;
}

/**
 * Returns a new model that shares every layer of `model` up to the features and ends in a fresh
 * classifier head (new weights). Training the new model also changes the shared layers of the
 * old one.
 *
 * @example
 * ```ts
 * const base = await lepton.zoo.load("leptonnet-mnist");
 * const model = lepton.zoo.replaceHead(base, { numClasses: 5 });
 * ```
 */
export function replaceHead(model: tf.LayersModel, opts: ReplaceHeadOptions | number): tf.LayersModel {
  const o: ReplaceHeadOptions = typeof opts === "number" ? { numClasses: opts } : opts;
  let features: tf.SymbolicTensor;
  if (o.from) {
    features = select(model, o.from)[0].output as tf.SymbolicTensor;
  } else {
    const last = model.layers[model.layers.length - 1];
    features = last.input as tf.SymbolicTensor;
  }
  // The old head is not part of the new graph, so its name can be reused.
  const out = classifierHead(features, { numClasses: o.numClasses, binary: o.binary }, o.name ?? "head");
  return tf.model({ inputs: model.inputs, outputs: out, name: model.name });
}
