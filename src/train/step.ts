/**
 * The training step used by fit: forward, loss, gradients, update, returning the loss as a scalar
 * tensor without reading it back (no per-batch CPU sync).
 *
 * Same signature as `makeTrainStep` of src/backend/step.ts; fit switches to the backend's once it
 * exists.
 */
import * as tf from "@tensorflow/tfjs";
import type { LossFn } from "./losses";

export interface TrainStepOptions {
  optimizer: tf.Optimizer;
  loss: LossFn;
}

/** Returns `(x, y) => loss` that performs one optimisation step on the model's trainable weights. */
export function makeTrainStep(model: tf.LayersModel, opts: TrainStepOptions): (x: tf.Tensor, y: tf.Tensor) => tf.Scalar {
  return (x, y) => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    return opts.optimizer.minimize(() => opts.loss(y, model.apply(x, { training: true }) as tf.Tensor), true, vars) as tf.Scalar;
  };
}
