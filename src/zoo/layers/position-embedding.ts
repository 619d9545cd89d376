/**
 * Learned position embeddings added to token embeddings (`[batch, seq, dModel]` in and out).
 * Registered with tfjs serialisation so models save and load.
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link PositionEmbedding}. */
export interface PositionEmbeddingArgs {
  /** Longest sequence the layer accepts. */
  maxLength: number;
  name?: string;
  trainable?: boolean;
}

type Shape = (number | null)[];

/**
 * Adds a learned vector per position to each token vector.
 *
 * @example
 * ```ts
 * const e = tf.layers.embedding({ inputDim: 100, outputDim: 32 }).apply(tokens);
 * const x = new lepton.zoo.PositionEmbedding({ maxLength: 64 }).apply(e);
 * ```
 */
export class PositionEmbedding extends tf.layers.Layer {
  static className = "LeptonPositionEmbedding";
  readonly maxLength: number;
  private table!: tf.LayerVariable;

  constructor(args: PositionEmbeddingArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.maxLength = args.maxLength;
  }

  override build(inputShape: Shape): void {
    const dModel = inputShape[2] as number;
    this.table = this.addWeight("positions", [this.maxLength, dModel], "float32", tf.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const s = x.shape[1];
      return tf.add(x, this.table.read().slice([0, 0], [s, x.shape[2]]).expandDims(0));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength };
  }
}
tf.serialization.registerClass(PositionEmbedding);
