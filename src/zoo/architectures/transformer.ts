/** A small Transformer encoder for text classification. */
import * as tf from "@tensorflow/tfjs";
import { classifierHead } from "./dense";
import type { SequenceInput } from "./text";
import { MultiHeadSelfAttention } from "../layers/multi-head-attention";
import { PositionEmbedding } from "../layers/position-embedding";
import { MaskedMeanPooling } from "../layers/masked-mean-pooling";

/** Options of {@link transformerEncoder}. */
export interface TransformerEncoderOptions extends SequenceInput {
  /** Width of the model (embedding size). Default 32 (overrides `embeddingDim`). */
  dModel?: number;
  /** Attention heads. Default 4. */
  numHeads?: number;
  /** Encoder layers. Default 2. */
  numLayers?: number;
  /** Hidden width of the feed-forward sublayer. Default `2 * dModel`. */
  ffDim?: number;
}

type Sym = tf.SymbolicTensor;

/**
 * Transformer encoder classifier: token + learned position embeddings, `numLayers` pre-norm
 * encoder layers (layer norm -> multi-head self-attention -> residual; layer norm ->
 * feed-forward -> residual), a final layer norm, mean pooling over non-padding tokens and a
 * classifier. Padding (token id 0) is masked in attention and pooling. Layers are named
 * `encoder<i>/attention`, `encoder<i>/ffn1`, ...; the attention layer is lepton's own
 * {@link MultiHeadSelfAttention}, so the model saves and loads.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.transformerEncoder({ vocabSize: 2000, sequenceLength: 64, numClasses: 8 });
 * ```
 */
export function transformerEncoder(opts: TransformerEncoderOptions): tf.LayersModel {
  const d = opts.dModel ?? opts.embeddingDim ?? 32;
  const tokens = tf.input({ shape: [opts.sequenceLength], dtype: "int32", name: "tokens" });
  const on = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;
  let x = on(tf.layers.embedding({ inputDim: opts.vocabSize, outputDim: d, name: "embedding" }), tokens);
  x = on(new PositionEmbedding({ maxLength: opts.sequenceLength, name: "position" }), x);
  const dropout = opts.dropout ?? 0.1;
  for (let i = 1; i <= (opts.numLayers ?? 2); i++) {
    const b = `encoder${i}`;
    let y = on(tf.layers.layerNormalization({ name: `${b}/norm1` }), x);
    y = on(new MultiHeadSelfAttention({ numHeads: opts.numHeads ?? 4, name: `${b}/attention` }), [y, tokens]);
    if (dropout > 0) y = on(tf.layers.dropout({ rate: dropout, name: `${b}/dropout1` }), y);
    x = on(tf.layers.add({ name: `${b}/add1` }), [x, y]);
    y = on(tf.layers.layerNormalization({ name: `${b}/norm2` }), x);
    y = on(tf.layers.dense({ units: opts.ffDim ?? 2 * d, activation: "relu", name: `${b}/ffn1` }), y);
    y = on(tf.layers.dense({ units: d, name: `${b}/ffn2` }), y);
    if (dropout > 0) y = on(tf.layers.dropout({ rate: dropout, name: `${b}/dropout2` }), y);
    x = on(tf.layers.add({ name: `${b}/add2` }), [x, y]);
  }
  x = on(tf.layers.layerNormalization({ name: "final_norm" }), x);
  const pooled = on(new MaskedMeanPooling({ name: "pool" }), [x, tokens]);
  return tf.model({ inputs: tokens, outputs: classifierHead(pooled, opts), name: "transformer_encoder" });
}
