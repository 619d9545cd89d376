/**
 * Folding batch norm into the layer before it, for inference. At inference a batch norm is a
 * per-channel scale and shift, so `conv -> bn` equals one conv with scaled kernel and a bias, and a
 * ReLU after it becomes the conv's fused activation. On wasm the unfolded FusedBatchNorm kernels
 * cost more than all of LeptonNet's convolutions together (profiled by zoo:train's part `speed`, scripts/zoo-train/parts/speed.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** `[layer name, node index, tensor index, kwargs]`, as in the Keras JSON topology. */
type NodeRef = [string, number, number, Record<string, unknown>?];

interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: NodeRef[][];
}

interface ModelJson {
  class_name: string;
  config: { name: string; layers: LayerJson[]; input_layers: NodeRef[]; output_layers: NodeRef[] };
}

/** Layers whose kernel's last axis is the output channel a batch norm scales. */
const FOLDABLE = new Set(["Conv2D", "DepthwiseConv2D", "Dense"]);
/** Layers whose activation tfjs fuses into the matmul/conv kernel. */
const FUSES_ACTIVATION = new Set(["Conv2D", "Dense"]);

/** What one fold did: the batch norm `bn` merged into `into`. */
interface Fold {
  into: string;
  bn: string;
}

function countConsumers(json: ModelJson): Map<string, number> {
  const counts = new Map<string, number>();
  const see = (ref: NodeRef) => counts.set(`${ref[0]}#${ref[1]}`, (counts.get(`${ref[0]}#${ref[1]}`) ?? 0) + 1);
  for (const layer of json.config.layers) for (const node of layer.inbound_nodes) node.forEach(see);
  json.config.output_layers.forEach(see);
  return counts;
}

/** Replaces every reference to `from` (any node) by the same node of `to`, and drops `from`. */
function bypass(json: ModelJson, from: string, to: string): void {
  const rewire = (ref: NodeRef) => { if (ref[0] === from) ref[0] = to; };
  for (const layer of json.config.layers) for (const node of layer.inbound_nodes) node.forEach(rewire);
  json.config.output_layers.forEach(rewire);
  json.config.layers = json.config.layers.filter((l) => l.name !== from);
}

/**
 * The single layer feeding every call of `layer`, when each call `j` of `layer` takes exactly the
 * output of call `j` of that producer and nothing else reads the producer (so it can be rewritten).
 */
function soleProducer(json: ModelJson, layer: LayerJson, consumers: Map<string, number>): LayerJson | undefined {
  const nodes = layer.inbound_nodes;
  if (nodes.length === 0 || nodes.some((n) => n.length !== 1)) return undefined;
  const name = nodes[0][0][0];
  const producer = json.config.layers.find((l) => l.name === name);
  if (!producer || producer.inbound_nodes.length !== nodes.length) return undefined;
  const aligned = nodes.every((n, j) => n[0][0] === name && n[0][1] === j && n[0][2] === 0 && consumers.get(`${name}#${j}`) === 1);
  return aligned ? producer : undefined;
}

function isLastAxis(model: tf.LayersModel, bn: LayerJson): boolean {
  const axis = bn.config.axis as number | number[];
  if (Array.isArray(axis) && axis.length !== 1) return false;
  const a = Array.isArray(axis) ? axis[0] : axis;
  const rank = (model.getLayer(bn.name).inputSpec?.[0]?.ndim ?? (model.getLayer(bn.name).input as tf.SymbolicTensor).shape.length);
  return a === -1 || a === rank - 1;
}

/** Rewrites the topology: batch norms folded, ReLUs fused. Returns what to compute for weights. */
function rewrite(model: tf.LayersModel, json: ModelJson): Fold[] {
  const folds: Fold[] = [];
  for (const bn of [...json.config.layers]) {
    if (bn.class_name !== "BatchNormalization" || !isLastAxis(model, bn)) continue;
    const producer = soleProducer(json, bn, countConsumers(json));
    if (!producer || !FOLDABLE.has(producer.class_name) || producer.config.activation !== "linear") continue;
    if (producer.config.data_format !== undefined && producer.config.data_format !== "channels_last") continue;
    producer.config.use_bias = true;
    folds.push({ into: producer.name, bn: bn.name });
    bypass(json, bn.name, producer.name);
  }
  for (const act of [...json.config.layers]) {
    const relu = (act.class_name === "ReLU" && act.config.max_value == null) || (act.class_name === "Activation" && act.config.activation === "relu");
    if (!relu) continue;
    const producer = soleProducer(json, act, countConsumers(json));
    if (!producer || !FUSES_ACTIVATION.has(producer.class_name) || producer.config.activation !== "linear") continue;
    producer.config.activation = "relu";
    bypass(json, act.name, producer.name);
  }
  return folds;
}

/** The folded kernel and bias of `layer` followed by the batch norm `bn` (inference statistics). */
function foldedWeights(layer: tf.layers.Layer, bn: tf.layers.Layer): tf.Tensor[] {
  return tf.tidy(() => {
    const named = (suffix: string) => {
      const i = bn.weights.findIndex((w) => w.originalName.endsWith(`/${suffix}`));
      return i >= 0 ? bn.getWeights()[i] : undefined;
    };
    const cfg = bn.getConfig() as { epsilon: number };
    const mean = named("moving_mean") as tf.Tensor1D;
    const variance = named("moving_variance") as tf.Tensor1D;
    const gamma = named("gamma") ?? tf.onesLike(mean);
    const beta = named("beta") ?? tf.zerosLike(mean);
    const scale = gamma.div(variance.add(cfg.epsilon).sqrt());
    const shift = beta.sub(mean.mul(scale));
    const [kernel, bias] = layer.getWeights();
    // A depthwise kernel is [h, w, in, multiplier]; its output channel c is (in, multiplier) in row-major order.
    const folded = layer.getClassName() === "DepthwiseConv2D" ? kernel.mul(scale.reshape(kernel.shape.slice(2))) : kernel.mul(scale);
    const newBias = bias ? bias.mul(scale).add(shift) : shift;
    return [folded, newBias];
  });
}

/**
 * Returns an inference copy of `model` with every batch norm folded into the convolution or
 * dense layer before it (scaled kernel plus bias), and every ReLU after such a layer fused into
 * its activation. Predictions are the same (up to float rounding) as `model.predict`; the copy is
 * an ordinary tfjs-layers model (save, load, fine-tune) with fewer layers and kernels. Batch norms
 * that do not follow a foldable layer are kept. The original model is not changed.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.leptonNet();
 * await lepton.fit(model, train, { epochs: 5 });
 * const fast = await lepton.zoo.foldBatchNorm(model);
 * fast.predict(test.x); // same predictions, fewer kernels
 * ```
 */
export async function foldBatchNorm(model: tf.LayersModel): Promise<tf.LayersModel> {
  if (!(model instanceof tf.LayersModel)) throw new LeptonError("zoo:notAModel", { got: typeof model });
  // A Sequential's JSON has no graph; the same layers as a functional model do.
  const graph = model instanceof tf.Sequential ? tf.model({ inputs: model.inputs, outputs: model.outputs }) : model;
  const json = graph.toJSON(null, false) as unknown as ModelJson;
  const folds = rewrite(graph, json);
  const folded = await tf.models.modelFromJSON({ modelTopology: json as never });
  const foldOf = new Map(folds.map((f) => [f.into, f.bn]));
  for (const layer of folded.layers) {
    const source = graph.getLayer(layer.name);
    const bn = foldOf.get(layer.name);
    const values = bn ? foldedWeights(source, graph.getLayer(bn)) : source.getWeights().map((w) => w.clone());
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
  return folded;
}
