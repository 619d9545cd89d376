/**
 * Skips the input gradient of convolutions that read the model's input directly.
 *
 * tfjs-layers runs every Conv2D through `tf.fused.conv2d`, which stays fused while gradients are
 * recorded when the activation is linear, and the fused op's gradient computes the input gradient
 * eagerly, needed or not. For a first layer (its input is data, not a weight) that is pure waste:
 * LeptonNet's stem spent 23 ms of a 105 ms training step (batch 64, wasm) on a 28x28 input
 * gradient nobody reads. During the lean step such layers run as `tf.conv2d` + bias + activation
 * (the same arithmetic), whose gradients tfjs computes only for the inputs that need them.
 */
import * as tf from "@tensorflow/tfjs";
import { withLayerCalls, type LayerCall } from "./layer-call";


/** The fields of tfjs-layers' Conv2D that the unfused call reads. */
interface ConvLayer {
  call: LayerCall;
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
  activation?: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: [number, number];
  inboundNodes: { inboundLayers: tf.layers.Layer[] }[];
}

/** Conv2D layers fed straight from an input layer, in channels-last format with plain padding. */
export function inputConvLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => {
    const conv = layer as unknown as ConvLayer;
    return layer.getClassName() === "Conv2D" && conv.dataFormat === "channelsLast"
      && (conv.padding === "same" || conv.padding === "valid")
      && conv.inboundNodes.some((node) => node.inboundLayers.some((l) => l.getClassName() === "InputLayer"));
  });
}

function unfusedCall(conv: ConvLayer): LayerCall {
  return (inputs) => tf.tidy(() => {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    let y: tf.Tensor = tf.conv2d(x, conv.kernel.read() as tf.Tensor4D, conv.strides, conv.padding as "same" | "valid", "NHWC", conv.dilationRate);
    if (conv.bias) y = tf.add(y, conv.bias.read());
    return conv.activation ? conv.activation.apply(y) : y;
  });
}

/** Runs `f` with the given input convolutions unfused, then restores their own `call`. */
export function withUnfusedInputConvs<T>(layers: tf.layers.Layer[], f: () => T): T {
  return withLayerCalls(layers, (layer) => unfusedCall(layer as unknown as ConvLayer), f);
}
