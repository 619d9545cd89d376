import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { LeptonError } from "../../src/i18n/index";
import { ready } from "../../src/backend/resolve";
import { blobs, twins } from "./helpers";

const small = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });

function maxDiff(a: tf.LayersModel, b: tf.LayersModel): number {
  const wb = b.getWeights();
  return Math.max(...a.getWeights().map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0])));
}

describe("fit on several threads (workers)", function () {
  this.timeout(120000);
  let runs: string;
  before(async () => {
    await ready({ backend: "wasm" });
    runs = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-fit-workers-"));
  });
  after(() => fs.rmSync(runs, { recursive: true, force: true }));

  it("distils on several threads: the same weights as one thread (soft targets reach the replicas)", async () => {
    const data = blobs(40);
    const teacher = zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [16] });
    await fit(teacher, data, { epochs: 2, batchSize: 8, lr: 0.05, verbose: false });
    const [a, b] = twins(small);
    const distill = { teacher, alpha: 0.7, temperature: 2 };
    await fit(a, data, { epochs: 2, batchSize: 8, optimizer: "sgd", lr: 0.1, labelSmoothing: 0.1, distill, verbose: false });
    await fit(b, data, { epochs: 2, batchSize: 8, optimizer: "sgd", lr: 0.1, labelSmoothing: 0.1, distill, verbose: false, workers: 2 });
    const d = maxDiff(a, b);
    assert.ok(d < 1e-5, `weights differ by ${d}`);
  });

  it("takes the steps one thread takes (SGD): the same weights after 3 epochs, class ids and one-hot labels", async () => {
    const data = blobs(44);
    for (const labels of [data.y, tf.oneHot(data.y, 2)]) {
      const [a, b] = twins(small);
      await fit(a, { x: data.x, y: labels }, { epochs: 3, batchSize: 8, optimizer: "sgd", lr: 0.1, verbose: false });
      const h = await fit(b, { x: data.x, y: labels }, { epochs: 3, batchSize: 8, optimizer: "sgd", lr: 0.1, verbose: false, workers: 2 });
      assert.equal(h.epochs.length, 3);
      assert.ok(h.epochs[2].loss < h.epochs[0].loss, "the loss goes down");
      const d = maxDiff(a, b);
      assert.ok(d < 1e-5, `weights differ by ${d}`);
    }
  });

  it("records the threads in the run and resumes with Adam's state on the replicas: 2 + 2 epochs equal 4", async () => {
    const data = blobs(40);
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 4, batchSize: 8, run: "w-straight", runsDir: runs, verbose: false, workers: 2 });
    await fit(b, data, { epochs: 2, batchSize: 8, run: "w-split", runsDir: runs, verbose: false, workers: 2 });
    assert.equal(JSON.parse(fs.readFileSync(path.join(runs, "w-split", "config.json"), "utf8")).workers, 2);
    const fresh = small();
    await fit(fresh, data, { epochs: 4, batchSize: 8, run: "w-split", runsDir: runs, resume: true, verbose: false, workers: 2 });
    const d = maxDiff(a, fresh);
    assert.ok(d < 1e-6, `weights after resume differ by ${d}`);
  });

  it("bad input: a thread count that is not a positive integer, a loss the threads cannot share", async () => {
    const data = blobs(16);
    await assert.rejects(fit(small(), data, { epochs: 1, workers: 0, verbose: false }), (e: unknown) => e instanceof LeptonError && e.code === "train:badOption" && /workers/.test(e.message));
    await assert.rejects(fit(small(), data, { epochs: 1, workers: 1.5, verbose: false }), (e: unknown) => e instanceof LeptonError && e.code === "train:badOption");
    const regression = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1 })] });
    await assert.rejects(fit(regression, { x: data.x, y: tf.cast(data.y, "float32") }, { epochs: 1, loss: "meanSquaredError", workers: 2, verbose: false }), (e: unknown) => {
      assert.ok(e instanceof LeptonError);
      assert.equal(e.code, "backend:parallelLoss");
      assert.match(e.message, /meanSquaredError/);
      return true;
    });
  });
});
