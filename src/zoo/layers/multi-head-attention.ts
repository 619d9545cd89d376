/**
 * Multi-head self-attention as a tfjs-layers layer (tfjs does not export one).
 *
 * Registered with `tf.serialization.registerClass`, so models that use it save and load like any
 * other layers model. Accepts either `x` (`[batch, seq, dModel]`) or `[x, tokenIds]`; with token
 * ids, positions whose id is 0 (padding) are masked out as keys.
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link MultiHeadSelfAttention}. */
export interface MultiHeadSelfAttentionArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Width of each head's queries and keys; defaults to `dModel / numHeads`. */
  keyDim?: number;
  /** Dropout on the attention weights while training (0..1). */
  dropout?: number;
  /** Only attend to earlier positions (for autoregressive use). */
  causal?: boolean;
  name?: string;
  trainable?: boolean;
}

type Shape = (number | null)[];

/**
 * Scaled dot-product multi-head self-attention with learned query, key, value and output
 * projections: `softmax(Q K^T / sqrt(d_k) + mask) V`, heads concatenated then projected back to
 * `dModel`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [16, 32] });
 * const y = new lepton.zoo.MultiHeadSelfAttention({ numHeads: 4 }).apply(x) as tf.SymbolicTensor;
 * ```
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = "LeptonMultiHeadSelfAttention";
  readonly numHeads: number;
  keyDim: number;
  readonly dropout: number;
  readonly causal: boolean;
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  private wo!: tf.LayerVariable;
  private bq!: tf.LayerVariable;
  private bk!: tf.LayerVariable;
  private bv!: tf.LayerVariable;
  private bo!: tf.LayerVariable;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim ?? 0;
    this.dropout = args.dropout ?? 0;
    this.causal = args.causal ?? false;
  }

  private static xShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const dModel = MultiHeadSelfAttention.xShape(inputShape)[2] as number;
    if (!this.keyDim) this.keyDim = Math.max(1, Math.floor(dModel / this.numHeads));
    const inner = this.numHeads * this.keyDim;
    const init = tf.initializers.glorotUniform({});
    const zeros = tf.initializers.zeros();
    this.wq = this.addWeight("wq", [dModel, inner], "float32", init);
    this.bq = this.addWeight("bq", [inner], "float32", zeros);
    this.wk = this.addWeight("wk", [dModel, inner], "float32", init);
    this.bk = this.addWeight("bk", [inner], "float32", zeros);
    this.wv = this.addWeight("wv", [dModel, inner], "float32", init);
    this.bv = this.addWeight("bv", [inner], "float32", zeros);
    this.wo = this.addWeight("wo", [inner, dModel], "float32", init);
    this.bo = this.addWeight("bo", [dModel], "float32", zeros);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return MultiHeadSelfAttention.xShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D;
      const ids = list[1];
      const [b, s, d] = x.shape;
      const h = this.numHeads;
      const k = this.keyDim;
      const flat = x.reshape([b * s, d]) as tf.Tensor2D;
      // [b*s, h*k] -> [b, h, s, k]
      const heads = (w: tf.LayerVariable, bias: tf.LayerVariable) =>
        tf.add(tf.matMul(flat, w.read() as tf.Tensor2D), bias.read()).reshape([b, s, h, k]).transpose([0, 2, 1, 3]);
      const q = heads(this.wq, this.bq);
      const kk = heads(this.wk, this.bk);
      const v = heads(this.wv, this.bv);
      let scores = tf.matMul(q as tf.Tensor4D, kk as tf.Tensor4D, false, true).mul(1 / Math.sqrt(k)); // [b,h,s,s]
      if (ids) {
        // Padding keys (id 0) get a large negative score so softmax ignores them.
        const pad = tf.equal(ids.reshape([b, 1, 1, s]), 0).toFloat().mul(-1e9);
        scores = scores.add(pad);
      }
      if (this.causal) {
        const upper = tf.sub(1, tf.linalg.bandPart(tf.ones([s, s]), -1, 0)).mul(-1e9);
        scores = scores.add(upper);
      }
      let attn = tf.softmax(scores, -1);
      if (this.dropout > 0 && kwargs?.training === true) attn = tf.dropout(attn, this.dropout);
      const out = tf.matMul(attn as tf.Tensor4D, v as tf.Tensor4D).transpose([0, 2, 1, 3]).reshape([b * s, h * k]);
      return tf.add(tf.matMul(out as tf.Tensor2D, this.wo.read() as tf.Tensor2D), this.bo.read()).reshape([b, s, d]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, dropout: this.dropout, causal: this.causal };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention);
