import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { serve, type ServerHandle } from "../../src/deploy/server";
import { call } from "./http-client";

/** A model with two named inputs (an image-like [2, 2] and a vector [3]) and one output value. */
function twoInputModel(): tf.LayersModel {
  const image = tf.input({ shape: [2, 2], name: "image" });
  const extra = tf.input({ shape: [3], name: "extra" });
  const joined = tf.layers.concatenate().apply([tf.layers.flatten().apply(image) as tf.SymbolicTensor, extra]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: "ones", name: "score" }).apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: [image, extra], outputs: out });
}

describe("deploy: TF Serving :regress and several-input models", function () {
  let server: ServerHandle;
  let price: tf.LayersModel;
  let two: tf.LayersModel;
  before(async () => {
    price = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
    two = twoInputModel();
    server = await serve(price, { name: "price", pollMs: 0 });
  });
  after(() => server.stop());

  it(":regress answers one value per example, TF Serving's {result: [...]}", async () => {
    const examples = [[1, 2, 3], [0.5, -1, 4]];
    const r = await call(server.url, "POST", "/v1/models/price:regress", { examples });
    assert.equal(r.status, 200, r.text);
    const want = (price.predict(tf.tensor2d(examples)) as tf.Tensor).dataSync();
    assert.equal(r.body.result.length, 2);
    r.body.result.forEach((v: number, i: number) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${v} vs ${want[i]}`));
    const missing = await call(server.url, "POST", "/v1/models/price:regress", { rows: examples });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /"examples"/);
  });

  it(":regress refuses classifiers and several-value outputs, saying what to use", async () => {
    const clf = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: "softmax" })] });
    const wide = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    for (const [model, pattern] of [[clf, /classification/], [wide, /-1, 2/]] as const) {
      const s = await serve(model, { name: "m", pollMs: 0 });
      try {
        const r = await call(s.url, "POST", "/v1/models/m:regress", { examples: [[1, 2, 3]] });
        assert.equal(r.status, 400, r.text);
        assert.match(r.body.error, /:predict/);
        assert.match(r.body.error, pattern);
      } finally {
        await s.stop();
      }
    }
    const classified = await serve(clf, { name: "c", pollMs: 0 });
    try {
      const r = await call(classified.url, "POST", "/v1/models/c:classify", { examples: [[1, 2, 3]] });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.result[0].map((p: [string, number]) => p[0]), ["0", "1"], "TF Serving's key: result");
    } finally {
      await classified.stop();
    }
  });

  it("a model with two inputs takes named rows, columns and KServe tensors, and explains what is missing", async () => {
    const s = await serve(two, { name: "two", pollMs: 0 });
    try {
      const images = [[[1, 2], [3, 4]], [[0, -1], [0.5, 2]]];
      const extras = [[1, 0, -1], [2, 2, 2]];
      const want = Array.from((two.predict([tf.tensor3d(images), tf.tensor2d(extras)]) as tf.Tensor).dataSync());
      const rows = await call(s.url, "POST", "/v1/models/two:predict", { instances: images.map((image, i) => ({ image, extra: extras[i] })) });
      assert.equal(rows.status, 200, rows.text);
      rows.body.predictions.forEach((p: number, i: number) => assert.ok(Math.abs(p - want[i]) < 1e-5, `${p} vs ${want[i]}`));
      const columns = await call(s.url, "POST", "/v1/models/two:predict", { inputs: { image: images, extra: extras } });
      assert.equal(columns.status, 200, columns.text);
      assert.deepEqual(columns.body.outputs, rows.body.predictions);
      const regress = await call(s.url, "POST", "/v1/models/two:regress", { examples: [{ image: images[1] }], context: { extra: extras[1] } });
      assert.equal(regress.status, 200, regress.text);
      assert.ok(Math.abs(regress.body.result[0] - want[1]) < 1e-5);
      const v2 = await call(s.url, "POST", "/v2/models/two/infer", {
        inputs: [
          { name: "image", shape: [2, 2, 2], datatype: "FP32", data: images.flat(2) },
          { name: "extra", shape: [2, 3], datatype: "FP32", data: extras.flat() },
        ],
      });
      assert.equal(v2.status, 200, v2.text);
      v2.body.outputs[0].data.forEach((v: number, i: number) => assert.ok(Math.abs(v - want[i]) < 1e-5));
      const metadata = await call(s.url, "GET", "/v1/models/two/metadata");
      assert.deepEqual(Object.keys(metadata.body.metadata.signature_def.signature_def.serving_default.inputs).sort(), ["extra", "image"]);
      const missing = await call(s.url, "POST", "/v1/models/two:predict", { instances: [{ image: images[0] }] });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error, /extra/);
      const notObject = await call(s.url, "POST", "/v1/models/two:predict", { instances: [[1, 2, 3]] });
      assert.equal(notObject.status, 400);
      assert.match(notObject.body.error, /"image": \[2, 2\]/);
      const wrongShape = await call(s.url, "POST", "/v1/models/two:predict", { instances: [{ image: [[1, 2]], extra: [1, 2, 3] }] });
      assert.equal(wrongShape.status, 400);
      assert.match(wrongShape.body.error, /image/);
    } finally {
      await s.stop();
    }
  });
});
