/**
 * UnsortedSegmentSum for tfjs-backend-wasm 4.22 (needed by the gradient of Gather, that is of
 * every Embedding layer), composed from wasm's ScatterNd, which accumulates duplicate indices.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s. Negative ids are dropped, as in
 * TensorFlow.
 */
export function unsortedSegmentSum({ inputs, attrs }: { inputs: tf.NamedTensorMap; attrs?: Record<string, unknown> }): tf.Tensor {
  const x = inputs.x;
  const ids = inputs.segmentIds;
  const numSegments = Number(attrs?.numSegments);
  return tf.tidy(() => {
    const n = ids.size;
    const rest = x.shape.slice(ids.rank);
    const flatIds = tf.reshape(ids, [n]).toInt();
    const valid = tf.greaterEqual(flatIds, 0);
    const safeIds = tf.where(valid, flatIds, tf.zerosLike(flatIds));
    let updates = tf.reshape(x, [n, ...rest]);
    updates = tf.mul(updates, tf.reshape(tf.cast(valid, x.dtype), [n, ...rest.map(() => 1)]));
    return tf.scatterND(tf.reshape(safeIds, [n, 1]), updates, [numSegments, ...rest]);
  });
}
