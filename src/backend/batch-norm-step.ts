/**
 * Batch normalisation in training mode as one op with a hand-derived gradient, for the lean step.
 *
 * tfjs-layers computes the batch moments, normalises with tfjs's batchNorm, and autodiff walks back
 * through both: about 40 kernels per layer and step, most of them on activation-sized tensors
 * (LeptonNet: 7 such layers, 548 kernels per step). Here the forward pass is 9 kernels and the
 * backward 8, using the closed form, per channel over the N = batch·height·width positions:
 *   dbeta = Σ dy,  dgamma = Σ dy·x̂,  dx = γ/(σ·N) · (N·dy − dbeta − x̂·dgamma).
 * The moving mean and variance are updated exactly as tfjs-layers does (biased batch variance).
 * Only channels-last layers (normalising the last axis) are rewritten; the rest keep tfjs's path.
 */
import * as tf from "@tensorflow/tfjs";
import { withLayerCalls, type LayerCall } from "./layer-call";


interface Variable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The fields of tfjs-layers' BatchNormalization that the rewritten call reads. */
interface BatchNormLayer {
  call: LayerCall;
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: Variable | null;
  beta: Variable | null;
  movingMean: Variable;
  movingVariance: Variable;
}

/** BatchNormalization layers that normalise the last axis (channels-last). */
export function lastAxisBatchNorms(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => {
    if (layer.getClassName() !== "BatchNormalization") return false;
    const axis = (layer as unknown as BatchNormLayer).axis;
    // A shared layer has several inbound nodes, all with the same input rank.
    const rank = layer.inboundNodes[0]?.inputTensors[0]?.shape.length;
    return rank !== undefined && (axis === -1 || axis === rank - 1);
  });
}

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/**
 * y = γ·(x − mean)/sqrt(var + ε) + β over every axis but the last, returning [y, mean, variance].
 * Gradients flow to x, γ and β; mean and variance are outputs for the moving averages only.
 */
function normalizeInTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] {
  const axes = [...Array(x.rank - 1).keys()];
  let mean: tf.Tensor | undefined;
  let variance: tf.Tensor | undefined;
  const op = tf.customGrad(((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    mean = tf.keep(tf.mean(xx, axes));
    const centred = tf.sub(xx, mean);
    variance = tf.keep(tf.mean(tf.square(centred), axes));
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const xHat = tf.mul(centred, invStd);
    save([xHat, invStd, g]);
    return {
      value: tf.add(tf.mul(xHat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, inv, gam] = saved;
        const n = xh.size / (xh.shape[xh.rank - 1] as number);
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xh), axes);
        const dx = tf.mul(tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(xh, dGamma)), tf.div(tf.mul(gam, inv), n));
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as CustomGradientFunc);
  const y = op(x, gamma, beta) as tf.Tensor;
  return [y, mean as tf.Tensor, variance as tf.Tensor];
}

function fusedCall(layer: BatchNormLayer, own: LayerCall): LayerCall {
  return (inputs, kwargs) => {
    if (!kwargs?.training) return own.call(layer, inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const channels = x.shape[x.rank - 1] as number;
      const gamma = layer.scale && layer.gamma ? layer.gamma.read() : tf.ones([channels]);
      const beta = layer.center && layer.beta ? layer.beta.read() : tf.zeros([channels]);
      const [y, mean, variance] = normalizeInTraining(x, gamma, beta, layer.epsilon);
      // Moving averages as tfjs-layers updates them: v ← v − (v − batch)·(1 − momentum).
      for (const [moving, batch] of [[layer.movingMean, mean], [layer.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const old = moving.read();
          moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - layer.momentum)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  };
}

/** Runs `f` with the given batch-norm layers' training branch fused, then restores their `call`. */
export function withFusedBatchNorms<T>(layers: tf.layers.Layer[], f: () => T): T {
  return withLayerCalls(layers, (layer, previous) => fusedCall(layer as unknown as BatchNormLayer, previous), f);
}
