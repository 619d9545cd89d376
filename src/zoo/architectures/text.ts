/** Text classifiers over token ids: TextCNN (Kim 2014) and a GRU/LSTM classifier. */
import * as tf from "@tensorflow/tfjs";
import { classifierHead, type ClassifierHead } from "./dense";

/** Options shared by the token-sequence classifiers. */
export interface SequenceInput extends ClassifierHead {
  /** Size of the token vocabulary (ids are `0..vocabSize-1`, 0 is padding). */
  vocabSize: number;
  /** Length of the (padded) token sequences. */
  sequenceLength: number;
  /** Width of the token embeddings. Default 32. */
  embeddingDim?: number;
  /** Dropout before the head. Default 0.2. */
  dropout?: number;
}

/** Options of {@link textCNN}. */
export interface TextCnnOptions extends SequenceInput {
  /** Kernel widths of the parallel 1-D convolutions. Default `[2, 3, 4]`. */
  kernelSizes?: number[];
  /** Filters per kernel width. Default 32. */
  filters?: number;
}

/** Options of {@link rnnClassifier}. */
export interface RnnClassifierOptions extends SequenceInput {
  /** Recurrent cell. Default "gru". */
  cell?: "gru" | "lstm";
  /** Units of the recurrent layer. Default 32. */
  units?: number;
  /** Read the sequence in both directions. Default false. */
  bidirectional?: boolean;
}

function embed(opts: SequenceInput): { input: tf.SymbolicTensor; x: tf.SymbolicTensor } {
  const input = tf.input({ shape: [opts.sequenceLength], dtype: "int32", name: "tokens" });
  const x = tf.layers
    .embedding({ inputDim: opts.vocabSize, outputDim: opts.embeddingDim ?? 32, name: "embedding" })
    .apply(input) as tf.SymbolicTensor;
  return { input, x };
}

/**
 * TextCNN: token embeddings, parallel 1-D convolutions of several widths, max over time,
 * concatenation, dropout and a classifier. Branches are named `conv<k>/conv`.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.textCNN({ vocabSize: 5000, sequenceLength: 64, numClasses: 8 });
 * ```
 */
export function textCNN(opts: TextCnnOptions): tf.LayersModel {
  const { input, x } = embed(opts);
  const branches = (opts.kernelSizes ?? [2, 3, 4]).map((k) => {
    const c = tf.layers.conv1d({ filters: opts.filters ?? 32, kernelSize: k, activation: "relu", name: `conv${k}/conv` }).apply(x) as tf.SymbolicTensor;
    return tf.layers.globalMaxPooling1d({ name: `conv${k}/maxpool` }).apply(c) as tf.SymbolicTensor;
  });
  let h = branches.length > 1 ? (tf.layers.concatenate({ name: "concat" }).apply(branches) as tf.SymbolicTensor) : branches[0];
  const dropout = opts.dropout ?? 0.2;
  if (dropout > 0) h = tf.layers.dropout({ rate: dropout, name: "dropout" }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierHead(h, opts), name: "textcnn" });
}

/**
 * Recurrent classifier: token embeddings, one GRU or LSTM layer (optionally bidirectional) whose
 * last state feeds a classifier.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.rnnClassifier({ vocabSize: 5000, sequenceLength: 64, numClasses: 2, cell: "lstm" });
 * ```
 */
export function rnnClassifier(opts: RnnClassifierOptions): tf.LayersModel {
  const { input, x } = embed(opts);
  const units = opts.units ?? 32;
  const rnn = opts.cell === "lstm" ? tf.layers.lstm({ units, name: "rnn/lstm" }) : tf.layers.gru({ units, name: "rnn/gru" });
  const layer = opts.bidirectional ? tf.layers.bidirectional({ layer: rnn as never, name: "rnn/bidirectional" }) : rnn;
  let h = layer.apply(x) as tf.SymbolicTensor;
  const dropout = opts.dropout ?? 0.2;
  if (dropout > 0) h = tf.layers.dropout({ rate: dropout, name: "dropout" }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierHead(h, opts), name: "rnn_classifier" });
}
