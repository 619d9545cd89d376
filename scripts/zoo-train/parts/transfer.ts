/** Part `transfer`: LeptonNet pretrained on digits 0-4, fine-tuned on 5-9 with 50 labels per class, against training from scratch. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { fit } from "../../../src/train/fit";
import { oneCycle } from "../../../src/train/schedules";
import { seed } from "../../../src/backend/index";
import { log } from "../command-line";
import { accuracy } from "../measure";
import { recordResult } from "../results-file";
import { SEED } from "../shipped-seed";

/** Rows of `x`/`y` whose label passes `keep`, labels mapped by `relabel`. */
function selectClasses(x: tf.Tensor, labels: Int32Array, keep: (l: number) => boolean, relabel: (l: number) => number, perClass?: number): { x: tf.Tensor; y: tf.Tensor } {
  const counts = new Map<number, number>();
  const idx: number[] = [];
  labels.forEach((l, i) => {
    if (!keep(l)) return;
    const c = counts.get(l) ?? 0;
    if (perClass !== undefined && c >= perClass) return;
    counts.set(l, c + 1);
    idx.push(i);
  });
  const ids = tf.tensor1d(idx, "int32");
  const out = { x: tf.gather(x, ids), y: tf.tensor1d(idx.map((i) => relabel(labels[i])), "int32") };
  ids.dispose();
  return out;
}

export async function transfer(): Promise<void> {
  const ds = await loadDataset("mnist", { seed: SEED });
  const trainLabels = ds.train.labels;
  const testLabels = ds.test.labels;
  const low = selectClasses(ds.train.x, trainLabels, (l) => l < 5, (l) => l);
  const few = selectClasses(ds.train.x, trainLabels, (l) => l >= 5, (l) => l - 5, 50);
  const test = selectClasses(ds.test.x, testLabels, (l) => l >= 5, (l) => l - 5);
  log(`transfer: pretrain on ${low.y.shape[0]} digits 0-4, fine-tune on ${few.y.shape[0]} digits 5-9 (50 per class), test on ${test.y.shape[0]}`);
  seed(SEED);
  const base = zoo.leptonNet({ numClasses: 5 });
  await fit(base, low, { epochs: 4, batchSize: 64, seed: SEED, callbacks: [oneCycle({ maxLr: 6e-3 })] });
  log(`transfer: base accuracy on 0-4 test ${(accuracy(base, ...Object.values(selectClasses(ds.test.x, testLabels, (l) => l < 5, (l) => l)) as [tf.Tensor, tf.Tensor]) * 100).toFixed(2)}%`);
  const tuned = zoo.replaceHead(base, { numClasses: 5 });
  await zoo.fineTune(tuned, few, { headEpochs: 10, epochs: 15, lr: 3e-3, lrRatio: 0.3, batchSize: 25, seed: SEED, verbose: false });
  const accTransfer = accuracy(tuned, test.x, test.y);
  seed(SEED);
  const scratch = zoo.leptonNet({ numClasses: 5 });
  await fit(scratch, few, { epochs: 25, batchSize: 25, lr: 3e-3, seed: SEED, verbose: false });
  const accScratch = accuracy(scratch, test.x, test.y);
  log(`transfer: fine-tuned ${(accTransfer * 100).toFixed(2)}% vs from scratch ${(accScratch * 100).toFixed(2)}% on digits 5-9`);
  recordResult("transfer-mnist-0to4-5to9", {
    fineTuned: accTransfer, scratch: accScratch, met: accTransfer > accScratch, labelsPerClass: 50, testSamples: test.y.shape[0],
    setup: "LeptonNet pretrained 4 epochs on digits 0-4; replaceHead + fineTune (10 head epochs at 3e-3, 15 all at 9e-4) vs 25 epochs from scratch at 3e-3",
  });
}
