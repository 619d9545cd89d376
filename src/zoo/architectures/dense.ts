/** Dense architectures: logistic and linear regression, the multilayer perceptron and its regressor. */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../../i18n/index";

/** Options shared by the classifiers of the zoo. */
export interface ClassifierHead {
  /** Number of classes; 2 with `binary: true` gives one sigmoid unit instead of a softmax. */
  numClasses: number;
  /** One sigmoid output for two classes (binary cross-entropy) instead of a 2-way softmax. */
  binary?: boolean;
}

/** Options of {@link logisticRegression}. */
export interface LogisticRegressionOptions extends ClassifierHead {
  /** Number of input features (or an input shape, flattened first). */
  inputShape: number | number[];
  /** L2 penalty on the weights. */
  l2?: number;
}

/** Options of {@link mlp}. */
export interface MlpOptions extends LogisticRegressionOptions {
  /** Widths of the hidden layers, in order. Default `[64, 32]`. */
  hidden?: number[];
  /** Hidden activation. Default "relu". */
  activation?: "relu" | "tanh" | "elu" | "selu" | "sigmoid";
  /** Dropout after each hidden layer (0..1). Default 0. */
  dropout?: number;
  /** Batch normalisation after each hidden layer. Default false. */
  batchNorm?: boolean;
}

/**
 * Refuses a class count no classifier can learn: a softmax over one class outputs 1 whatever the
 * input, so training would "succeed" and learn nothing.
 */
export function checkNumClasses(numClasses: unknown): void {
  if (typeof numClasses === "number" && Number.isInteger(numClasses) && numClasses >= 2) return;
  throw new LeptonError("zoo:badNumClasses", { value: String(numClasses) });
}

/** The output layer of a classifier: softmax over classes or one sigmoid unit. */
export function classifierHead(x: tf.SymbolicTensor, opts: ClassifierHead, name = "head"): tf.SymbolicTensor {
  checkNumClasses(opts.numClasses);
  const binary = opts.binary === true && opts.numClasses === 2;
  return tf.layers
    .dense({ units: binary ? 1 : opts.numClasses, activation: binary ? "sigmoid" : "softmax", name })
    .apply(x) as tf.SymbolicTensor;
}

function flatInput(inputShape: number | number[]): { input: tf.SymbolicTensor; x: tf.SymbolicTensor } {
  const shape = typeof inputShape === "number" ? [inputShape] : inputShape;
  const input = tf.input({ shape, name: "input" });
  const x = shape.length > 1 ? (tf.layers.flatten({ name: "flatten" }).apply(input) as tf.SymbolicTensor) : input;
  return { input, x };
}

/**
 * Logistic (softmax) regression: one dense layer from the features to the classes.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.logisticRegression({ inputShape: 30, numClasses: 2 });
 * ```
 */
export function logisticRegression(opts: LogisticRegressionOptions): tf.LayersModel {
  checkNumClasses(opts.numClasses);
  const { input, x } = flatInput(opts.inputShape);
  const binary = opts.binary === true && opts.numClasses === 2;
  const out = tf.layers
    .dense({
      units: binary ? 1 : opts.numClasses,
      activation: binary ? "sigmoid" : "softmax",
      kernelRegularizer: opts.l2 ? tf.regularizers.l2({ l2: opts.l2 }) : undefined,
      name: "head",
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: "logistic_regression" });
}

/**
 * Multilayer perceptron: dense hidden layers (optionally with batch norm and dropout) and a
 * classifier head. Hidden layers are named `hidden1/dense`, `hidden2/dense`, ... so they can be
 * frozen by block.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.mlp({ inputShape: 30, numClasses: 2, hidden: [32, 16], dropout: 0.2 });
 * ```
 */
export function mlp(opts: MlpOptions): tf.LayersModel {
  checkNumClasses(opts.numClasses);
  const { input, x } = flatInput(opts.inputShape);
  return tf.model({ inputs: input, outputs: classifierHead(hiddenStack(x, opts), opts), name: "mlp" });
}

/** Options of {@link mlpRegressor}. */
export interface MlpRegressorOptions extends Omit<MlpOptions, "numClasses" | "binary"> {
  /** Number of values predicted per example. Default 1. */
  outputs?: number;
}

/** Options of {@link linearRegression}. */
export interface LinearRegressionOptions {
  /** Number of input features (or an input shape, flattened first). */
  inputShape: number | number[];
  /** Number of values predicted per example. Default 1. */
  outputs?: number;
  /** L2 penalty on the weights (ridge regression). */
  l2?: number;
}

/**
 * Linear regression: one dense layer with no activation, compiled with mean squared error, so
 * `lepton.fit` trains it without a `loss` option.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.linearRegression({ inputShape: 3 });
 * await lepton.fit(model, { x, y }, { epochs: 50, lr: 0.05 });
 * ```
 */
export function linearRegression(opts: LinearRegressionOptions): tf.LayersModel {
  const { input, x } = flatInput(opts.inputShape);
  const model = tf.model({ inputs: input, outputs: regressionHead(x, opts.outputs, opts.l2), name: "linear_regression" });
  return compiledForRegression(model);
}

/**
 * Multilayer perceptron for regression: the hidden layers of {@link mlp} and a linear output of
 * `outputs` values, compiled with mean squared error (fit it with `loss: "mae"` to change that).
 * Standardise the targets as well as the features when they are large numbers.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.mlpRegressor({ inputShape: 3, hidden: [32, 16] });
 * await lepton.fit(model, { x, y }, { epochs: 100, validationData: { x: xVal, y: yVal } });
 * lepton.evaluate.regressionReport(yTest, model.predict(xTest) as tf.Tensor);
 * ```
 */
export function mlpRegressor(opts: MlpRegressorOptions): tf.LayersModel {
  const { input, x } = flatInput(opts.inputShape);
  const model = tf.model({ inputs: input, outputs: regressionHead(hiddenStack(x, opts), opts.outputs, opts.l2), name: "mlp_regressor" });
  return compiledForRegression(model);
}

/** The hidden layers of an MLP, named `hidden1/dense`, `hidden2/dense`, ... (frozen by block). */
function hiddenStack(x0: tf.SymbolicTensor, opts: Omit<MlpOptions, "numClasses" | "binary">): tf.SymbolicTensor {
  let x = x0;
  (opts.hidden ?? [64, 32]).forEach((units, i) => {
    const block = `hidden${i + 1}`;
    x = tf.layers
      .dense({
        units,
        activation: opts.batchNorm ? "linear" : (opts.activation ?? "relu"),
        kernelRegularizer: opts.l2 ? tf.regularizers.l2({ l2: opts.l2 }) : undefined,
        name: `${block}/dense`,
      })
      .apply(x) as tf.SymbolicTensor;
    if (opts.batchNorm) {
      x = tf.layers.batchNormalization({ name: `${block}/bn` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: opts.activation ?? "relu", name: `${block}/act` }).apply(x) as tf.SymbolicTensor;
    }
    if (opts.dropout) x = tf.layers.dropout({ rate: opts.dropout, name: `${block}/dropout` }).apply(x) as tf.SymbolicTensor;
  });
  return x;
}

function regressionHead(x: tf.SymbolicTensor, outputs = 1, l2?: number): tf.SymbolicTensor {
  if (!Number.isInteger(outputs) || outputs < 1) throw new LeptonError("zoo:badOutputs", { value: String(outputs) });
  return tf.layers.dense({
    units: outputs, activation: "linear", name: "head",
    kernelRegularizer: l2 ? tf.regularizers.l2({ l2 }) : undefined,
  }).apply(x) as tf.SymbolicTensor;
}

/** Compiled with mean squared error: `lepton.fit` takes a compiled model's loss as its default. */
function compiledForRegression(model: tf.LayersModel): tf.LayersModel {
  model.compile({ optimizer: "adam", loss: "meanSquaredError" });
  return model;
}
