/** lepton.seed: identical weights, shuffles and dropout from the same seed, on wasm and cpu. */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../../src/i18n/index";
import { ready, rng, seed, currentSeed } from "../../src/backend/index";

function model(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: "relu" }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 2, activation: "softmax" }));
  m.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
  return m;
}

/** Builds, trains 2 epochs with shuffling and dropout, returns the final weights. */
async function trainedWeights(s: number): Promise<Float32Array[]> {
  seed(s);
  const m = model();
  const x = tf.randomUniform([16, 6, 6, 1]);
  const y = tf.oneHot(tf.randomUniform([16], 0, 2, "int32"), 2);
  await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: true, verbose: 0 });
  const out = m.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, y]);
  m.dispose();
  return out;
}

describe("backend: seed", function () {
  this.timeout(30000);
  after(() => seed(null));

  for (const backend of ["wasm", "cpu"] as const) {
    it(`gives identical trained weights from the same seed on ${backend}`, async () => {
      await ready({ backend });
      const a = await trainedWeights(42);
      const b = await trainedWeights(42);
      const c = await trainedWeights(43);
      assert.equal(a.length, b.length);
      a.forEach((w, i) => assert.deepEqual(w, b[i], `weight ${i} differs between two runs with seed 42`));
      assert.ok(a.some((w, i) => w.some((v, k) => v !== c[i][k])), "seed 43 should give different weights");
    });
  }

  it("makes rng() streams repeatable and unseeded again after seed(null)", () => {
    seed(7);
    const s1 = rng().shuffle([...Array(20).keys()]);
    const n1 = rng().normal();
    seed(7);
    assert.deepEqual(rng().shuffle([...Array(20).keys()]), s1);
    assert.equal(rng().normal(), n1);
    assert.equal(currentSeed(), 7);
    seed(null);
    assert.equal(currentSeed(), undefined);
    assert.notDeepEqual(rng().shuffle([...Array(20).keys()]), rng().shuffle([...Array(20).keys()]));
  });

  it("rejects a non-integer seed", () => {
    assert.throws(() => seed(1.5), (e: unknown) => e instanceof LeptonError && e.code === "backend:seedInvalid");
  });
});
