/** Part `breast-cancer`: the MLP on Breast Cancer Wisconsin (stratified 80/20), shipped as breastcancer-mlp. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { fit } from "../../../src/train/fit";
import { splitFingerprint } from "../../../src/zoo/split-fingerprint";
import { seed } from "../../../src/backend/index";
import { log } from "../command-line";
import { accuracy } from "../measure";
import { recordResult, savePretrained } from "../results-file";
import { SEED } from "../shipped-seed";

export async function breastCancer(): Promise<void> {
  log("breast cancer: MLP, stratified 80/20");
  seed(SEED);
  const ds = await loadDataset("breast-cancer", { seed: SEED, testSize: 0.2, stratify: true });
  const d = ds.train.sampleShape[0];
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  const n = ds.train.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += ds.train.features[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (ds.train.features[i * d + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  const scale = (x: tf.Tensor) => tf.tidy(() => x.sub(tf.tensor1d(mean)).div(tf.tensor1d(std)));
  const xTrain = scale(ds.train.x);
  const xTest = scale(ds.test.x);
  const options = { inputShape: d, numClasses: 2, hidden: [32, 16], dropout: 0.2 };
  const model = zoo.mlp(options);
  const h = await fit(model, { x: xTrain, y: ds.train.y }, { epochs: 60, batchSize: 32, lr: 1e-3, seed: SEED, verbose: false });
  const acc = accuracy(model, xTest, ds.test.y);
  log(`breast cancer MLP test accuracy ${(acc * 100).toFixed(2)}% (final train loss ${h.last.loss.toFixed(4)})`);
  await savePretrained(model, {
    name: "breastcancer-mlp", architecture: "mlp", options, dataset: "breast-cancer", split: "stratified 80/20, seed 42",
    metrics: { accuracy: acc, testSamples: ds.test.length }, params: model.countParams(), labels: ds.classes,
    testSplitFingerprint: splitFingerprint(ds.test.labels, ds.test.features),
    preprocessing: { standardise: { mean, std } }, training: { seed: SEED, epochs: 60, batchSize: 32, lr: 1e-3, optimizer: "adam" },
  });
  recordResult("breastcancer-mlp", { accuracy: acc, target: 0.95, met: acc >= 0.95 });
  tf.dispose([xTrain, xTest]);
}
