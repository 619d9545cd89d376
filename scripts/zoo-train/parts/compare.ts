/** Part `compare`: the shipped pair on the same test digits, McNemar's test. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { compareClassifiers } from "../../../src/evaluate/compare";
import { log } from "../command-line";
import { recordResult } from "../results-file";
import { SEED } from "../shipped-seed";

/**
 * The shipped pair on the same test images, example by example: the 2x2 table of right and wrong
 * answers and McNemar's exact test (`lepton.evaluate.compareClassifiers`), i.e. whether the test
 * set can tell the two shipped models apart at all.
 */
export async function compare(): Promise<void> {
  const ds = await loadDataset("mnist", { seed: SEED });
  const small = await zoo.load("leptonnet-mnist");
  const classic = await zoo.load("lenet5-mnist");
  const [a, b] = [small, classic].map((m) => m.predict(ds.test.x, { batchSize: 256 }) as tf.Tensor);
  const r = compareClassifiers(ds.test.y, a, b, { names: ["LeptonNet", "LeNet-5"] });
  log(r.summary());
  recordResult("leptonnet-vs-lenet5-mcnemar", {
    counts: r.counts, accuracy: { leptonnet: r.accuracy[0], lenet5: r.accuracy[1] }, difference: r.difference,
    standardError: r.standardError, interval95: r.interval95, pValue: r.pValue, significantAt5Percent: r.significant,
    test: "McNemar's exact test (two-sided binomial on the examples where exactly one model is right), shipped models, 2,000 test images",
  });
  tf.dispose([a, b]);
  small.dispose();
  classic.dispose();
}
