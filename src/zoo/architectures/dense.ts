/** Dense architectures: logistic regression and the multilayer perceptron. */
import * as tf from "@tensorflow/tfjs";

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

/** The output layer of a classifier: softmax over classes or one sigmoid unit. */
export function classifierHead(x: tf.SymbolicTensor, opts: ClassifierHead, name = "head"): tf.SymbolicTensor {
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
  const { input, x: x0 } = flatInput(opts.inputShape);
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
  return tf.model({ inputs: input, outputs: classifierHead(x, opts), name: "mlp" });
}
