/**
 * Shared fixtures for the deploy and compress tests: a small MLP trained on synthetic Gaussian
 * blobs (deterministic), a serialisable standardiser registered as a preprocessing kind, and temp folders.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { registerPreprocessor, type PreprocessingJSON } from "../../src/deploy/preprocessing";

export const FEATURES = ["a", "b", "c", "d"];
export const LABELS = ["red", "green", "blue"];

/** Deterministic uniform numbers (mulberry32). */
export function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three blobs in 4-D, raw scale around 100 (so the model needs the standardiser). */
export function blobs(n: number, seed = 1): { rows: number[][]; classes: number[] } {
  const r = rand(seed);
  const centres = [[0, 0, 0, 0], [3, 3, 0, 0], [0, 3, 3, 3]];
  const rows: number[][] = [];
  const classes: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    rows.push(centres[c].map((m) => 100 + 10 * (m + (r() + r() + r() - 1.5) * 0.9)));
    classes.push(c);
  }
  return { rows, classes };
}

/** A fitted standardiser with the `{kind, ...}` JSON form the deploy registry expects. */
export class TestScaler {
  constructor(readonly mean: number[], readonly std: number[], readonly features = FEATURES) {}
  static fit(rows: number[][]): TestScaler {
    const d = rows[0].length;
    const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const std = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / rows.length) || 1);
    return new TestScaler(mean, std);
  }
  transform(rows: unknown[]): number[][] {
    return rows.map((row) => {
      const values = Array.isArray(row) ? row : this.features.map((f) => (row as Record<string, unknown>)[f]);
      if (values.length !== this.mean.length) throw new Error(`expected ${this.mean.length} values, got ${values.length}`);
      return values.map((v, j) => {
        if (typeof v !== "number") throw new Error(`feature ${this.features[j]} must be a number`);
        return (v - this.mean[j]) / this.std[j];
      });
    });
  }
  toJSON(): PreprocessingJSON {
    return { kind: "test-standardise", mean: this.mean, std: this.std, features: this.features };
  }
}
registerPreprocessor("test-standardise", (j) => new TestScaler(j.mean as number[], j.std as number[], j.features as string[]));

/** Trains a small MLP on standardised blobs; accuracy is high after a few epochs. */
export async function trainClassifier(seed = 1, hidden = 32): Promise<{ model: tf.LayersModel; scaler: TestScaler; test: { rows: number[][]; classes: number[] } }> {
  const train = blobs(300, seed);
  const test = blobs(150, seed + 100);
  const scaler = TestScaler.fit(train.rows);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: hidden, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: hidden, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.02), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  const x = tf.tensor2d(scaler.transform(train.rows));
  const y = tf.tensor1d(train.classes, "float32");
  await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0, shuffle: false });
  tf.dispose([x, y]);
  return { model, scaler, test };
}

/** The test rows standardised, as tensors (x) and class indices (y). */
export function testTensors(scaler: TestScaler, test: { rows: number[][]; classes: number[] }): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return { x: tf.tensor2d(scaler.transform(test.rows)), y: tf.tensor1d(test.classes, "int32") };
}

/** Accuracy of predicted labels against class indices. */
export function accuracyOf(labels: string[], classes: number[]): number {
  return labels.filter((l, i) => l === LABELS[classes[i]]).length / classes.length;
}

export function tempDir(prefix = "lepton-deploy-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
