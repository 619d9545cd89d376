/** The input/output signature of a saved model: what a client must send and what comes back. */
import * as tf from "@tensorflow/tfjs";

/** One tensor of a signature; `-1` marks the batch (or any free) dimension. */
export interface TensorSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** What `lepton.json` records about a model's inputs and outputs. */
export interface Signature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Raw feature names (tabular models), in the order the model or its preprocessing expects. */
  features?: string[];
}

/** "classification" when the model outputs class scores, else "regression". */
export type Task = "classification" | "regression";

const spec = (name: string, shape: (number | null)[], dtype: string): TensorSpec => ({ name, shape: shape.map((d) => d ?? -1), dtype });

/** Reads the signature of a layers model. */
export function signatureOf(model: tf.LayersModel, features?: string[]): Signature {
  return {
    inputs: model.inputs.map((t, i) => spec(model.inputNames[i] ?? t.name, t.shape, t.dtype)),
    outputs: model.outputs.map((t, i) => spec(model.outputNames[i] ?? t.name, t.shape, t.dtype)),
    ...(features && features.length ? { features: [...features] } : {}),
  };
}

/** Classification when there are labels or the last layer ends in softmax/sigmoid. */
export function inferTask(model: tf.LayersModel, labels?: string[]): Task {
  if (labels && labels.length) return "classification";
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown }).activation;
  return activation === "softmax" || activation === "sigmoid" ? "classification" : "regression";
}
