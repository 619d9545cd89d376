import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { load as loadDataset } from "../../src/data/datasets/index";

describe("zoo pretrained weights", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("lists the shipped models, each with a card", () => {
    const names = zoo.available();
    assert.ok(names.includes("breastcancer-mlp"), names.join(", "));
    for (const n of names) {
      const c = zoo.card(n);
      assert.equal(c.name, n);
      assert.ok(c.metrics.accuracy > 0.5, `${n} accuracy ${c.metrics.accuracy}`);
    }
  });

  it("loads breastcancer-mlp from the repository and reproduces the recorded test accuracy", async () => {
    const card = zoo.card("breastcancer-mlp");
    const model = await zoo.load("breastcancer-mlp");
    const ds = await loadDataset("breast-cancer", { seed: 42, testSize: 0.2, stratify: true });
    const { mean, std } = (card.preprocessing as { standardise: { mean: number[]; std: number[] } }).standardise;
    const acc = tf.tidy(() => {
      const x = ds.test.x.sub(tf.tensor1d(mean)).div(tf.tensor1d(std));
      return (model.predict(x) as tf.Tensor).argMax(-1).equal(ds.test.y).mean().dataSync()[0];
    });
    assert.ok(Math.abs(acc - card.metrics.accuracy) < 1e-6, `${acc} vs recorded ${card.metrics.accuracy}`);
    assert.ok(acc >= 0.95);
  });
});
