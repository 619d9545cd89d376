/**
 * Floating-point operations of one forward pass per example, counted as 2 x multiply-adds of the
 * weighted layers (dense, convolutions, attention, recurrent cells). Element-wise layers
 * (activations, normalisation, pooling) are not counted, as is usual for model cards.
 */
import * as tf from "@tensorflow/tfjs";

type Shape = (number | null)[];

const prod = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a * (b ?? 1), 1);

function cfg(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

function kernelArea(k: unknown, rank: number): number {
  if (Array.isArray(k)) return prod(k as number[]);
  return Math.pow(Number(k), rank);
}

function rnnFlops(cell: string, units: number, inDim: number, steps: number): number {
  const gates = cell === "LSTM" ? 4 : cell === "GRU" ? 3 : 1;
  return 2 * gates * (inDim + units) * units * steps;
}

/** FLOPs of one call of `layer` with these input and output shapes (batch dimension excluded). */
export function layerFlops(layer: tf.layers.Layer, inputShape: Shape | Shape[], outputShape: Shape | Shape[]): number {
  const inShape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  const outShape = (Array.isArray(outputShape[0]) ? outputShape[0] : outputShape) as Shape;
  const c = cfg(layer);
  const cls = layer.getClassName();
  const inCh = Number(inShape[inShape.length - 1]);
  const outSpatial = prod(outShape.slice(1, -1));
  switch (cls) {
    case "Dense":
      return 2 * inCh * Number(c.units) * prod(outShape.slice(1, -1));
    case "Conv1D":
    case "Conv2D":
    case "Conv3D":
      return 2 * kernelArea(c.kernelSize, inShape.length - 2) * inCh * Number(c.filters) * outSpatial;
    case "DepthwiseConv2D":
      return 2 * kernelArea(c.kernelSize, 2) * inCh * Number(c.depthMultiplier ?? 1) * outSpatial;
    case "SeparableConv2D": {
      const mult = Number(c.depthMultiplier ?? 1);
      return 2 * kernelArea(c.kernelSize, 2) * inCh * mult * outSpatial + 2 * inCh * mult * Number(c.filters) * outSpatial;
    }
    case "LeptonMultiHeadSelfAttention": {
      const s = Number(inShape[1]);
      const d = inCh;
      const inner = Number(c.numHeads) * Number(c.keyDim);
      return 2 * s * d * inner * 3 + 2 * 2 * s * s * inner + 2 * s * inner * d;
    }
    case "GRU":
    case "LSTM":
    case "SimpleRNN":
      return rnnFlops(cls, Number(c.units), inCh, Number(inShape[1]));
    case "Bidirectional": {
      const inner = (layer as unknown as { forwardLayer: tf.layers.Layer }).forwardLayer;
      const ic = cfg(inner);
      return 2 * rnnFlops(inner.getClassName(), Number(ic.units), inCh, Number(inShape[1]));
    }
    default:
      return 0;
  }
}
