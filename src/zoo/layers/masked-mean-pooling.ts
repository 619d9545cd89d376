/**
 * Mean over the sequence axis that ignores padding: inputs `[x, tokenIds]`, positions whose id is 0
 * do not count. Registered with tfjs serialisation so models save and load.
 */
import * as tf from "@tensorflow/tfjs";

type Shape = (number | null)[];

/**
 * Average of `x` (`[batch, seq, d]`) over the non-padding positions given by `tokenIds`
 * (`[batch, seq]`, 0 = padding); output `[batch, d]`.
 *
 * @example
 * ```ts
 * const pooled = new lepton.zoo.MaskedMeanPooling().apply([x, tokens]);
 * ```
 */
export class MaskedMeanPooling extends tf.layers.Layer {
  static className = "LeptonMaskedMeanPooling";

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [x[0], x[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = inputs as tf.Tensor[];
      const keep = tf.notEqual(ids, 0).toFloat().expandDims(-1); // [b, s, 1]
      const count = keep.sum(1).maximum(1);
      return tf.mul(x, keep).sum(1).div(count);
    });
  }
}
tf.serialization.registerClass(MaskedMeanPooling);
