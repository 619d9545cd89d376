/** Choosing the optimizer for fit and reading / setting its learning rate. */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Optimizer names fit accepts. */
export type OptimizerName = "adam" | "sgd" | "momentum" | "rmsprop" | "adamax" | "adagrad";

/** Builds a named optimizer with a learning rate. */
export function makeOptimizer(name: OptimizerName | string, lr: number): tf.Optimizer {
  switch (name) {
    case "adam": return tf.train.adam(lr);
    case "sgd": return tf.train.sgd(lr);
    case "momentum": return tf.train.momentum(lr, 0.9);
    case "rmsprop": return tf.train.rmsprop(lr);
    case "adamax": return tf.train.adamax(lr);
    case "adagrad": return tf.train.adagrad(lr);
    default: throw new LeptonError("train:unknownOptimizer", { name, known: "adam, sgd, momentum, rmsprop, adamax, adagrad" });
  }
}

/** The optimizer's current learning rate. */
export function getLearningRate(opt: tf.Optimizer): number {
  return Number((opt as unknown as { learningRate: number }).learningRate);
}

/**
 * Sets the learning rate in place. SGD caches it as a tensor (`setLearningRate`); the others
 * read the `learningRate` field at each step.
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
  else o.learningRate = lr;
}
