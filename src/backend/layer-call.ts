/**
 * Temporarily replaces layers' `call` for the duration of one forward pass of the lean step (the
 * rewrites in input-conv.ts and batch-norm-step.ts), restoring each layer's own afterwards.
 */
import type * as tf from "@tensorflow/tfjs";

/** A tfjs-layers `call`: inputs and kwargs (training, mask) to outputs. */
export type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Runs `f` with each layer's `call` replaced by `replace(layer, previous)`, where `previous` is the
 * call the layer had, then puts the previous ones back (also when `f` throws).
 */
export function withLayerCalls<T>(layers: tf.layers.Layer[], replace: (layer: tf.layers.Layer, previous: LayerCall) => LayerCall, f: () => T): T {
  const saved = layers.map((layer) => {
    const holder = layer as unknown as { call: LayerCall };
    const own = Object.prototype.hasOwnProperty.call(holder, "call") ? holder.call : undefined;
    holder.call = replace(layer, own ?? (Object.getPrototypeOf(holder) as { call: LayerCall }).call);
    return { holder, own };
  });
  try {
    return f();
  } finally {
    for (const { holder, own } of saved) {
      if (own) holder.call = own;
      else delete (holder as Partial<{ call: LayerCall }>).call;
    }
  }
}
