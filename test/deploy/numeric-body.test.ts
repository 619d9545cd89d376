import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { readNumericBody } from "../../src/deploy/numeric-body";
import { serve } from "../../src/deploy/server";
import { call } from "./http-client";
import { rand, trainClassifier } from "./fixtures";

describe("deploy: numeric request bodies read without JSON.parse", function () {
  it("reads the same float32 values as JSON.parse, with the shape, for every number form", () => {
    const r = rand(11);
    const forms = [
      (v: number) => String(v),
      (v: number) => v.toFixed(Math.floor(r() * 8)),
      (v: number) => v.toExponential(Math.floor(r() * 17)),
      (v: number) => v.toPrecision(1 + Math.floor(r() * 20)).replace("e+", "E"),
    ];
    for (let t = 0; t < 3000; t++) {
      const scale = 10 ** Math.floor(r() * 60 - 30);
      const rows = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => (r() - 0.5) * scale));
      const form = forms[t % forms.length];
      const text = `{ "instances" : [${rows.map((row) => `[ ${row.map(form).join(" ,")} ]`).join(",\n")}] }`;
      const got = readNumericBody(Buffer.from(text));
      assert.ok(got, text);
      assert.equal(got.field, "instances");
      assert.deepEqual(got.shape, [3, 4]);
      const want = Float32Array.from((JSON.parse(text).instances as number[][]).flat());
      got.data.forEach((v, i) => assert.ok(Object.is(v, want[i]), `${text}: ${v} vs ${want[i]}`));
    }
    const deep = readNumericBody(Buffer.from('{"inputs":[[[[0.5],[-0]]],[[[1e2],[-2.5e-1]]]]}'));
    assert.deepEqual(deep && { field: deep.field, shape: deep.shape, data: Array.from(deep.data) }, { field: "inputs", shape: [2, 1, 2, 1], data: [0.5, -0, 100, -0.25] });
    // TF Serving clients often name the signature; it is ignored on both paths.
    for (const text of ['{"signature_name": "serving_default", "instances": [[1, 2]]}', '{"instances": [[1, 2]], "signature_name":""}']) {
      const got = readNumericBody(Buffer.from(text));
      assert.deepEqual(got && { field: got.field, shape: got.shape, data: Array.from(got.data) }, { field: "instances", shape: [1, 2], data: [1, 2] }, text);
    }
  });

  it("leaves everything else to the general path (undefined), never guessing", () => {
    const others = [
      "", "[]", "{}", '{"instances": []}', '{"instances": [[]]}', '{"instances": 5}', '{"instances": [[1,2],[3]]}', '{"instances": [[1,2],3]}',
      '{"instances": [1,[2]]}', '{"instances": [1,]}', '{"instances": [01]}', '{"instances": [1.]}', '{"instances": [.5]}', '{"instances": [-]}',
      '{"instances": [1e400]}', '{"instances": [NaN]}', '{"instances": ["1"]}', '{"instances": [{"a": 1}]}', '{"instances": [null]}',
      '{"instances": [[1]], "note": ""}', '{"instances": [1]} x', '{"signature_name": "a\\"b", "instances": [1]}', '{"signature_name": 1, "instances": [1]}',
      '{"signature_name": "a", "signature_name": "b", "instances": [1]}', '{"signature_name": "a"}', '{"instances": [1], "inputs": [2]}', '{"instances": [1], "instances": [2]}', '{"instances": [1],}', '{"inst\\u0061nces": [1]}', '{"examples": [1]}', '{"instances": [1]',
      '\ufeff{"instances": [1]}', '{"instances": [true]}',
    ];
    for (const text of others) assert.equal(readNumericBody(Buffer.from(text)), undefined, text);
  });

  it("the server answers the fast path exactly as the general path, and still explains bad rows", async () => {
    const { model } = await trainClassifier(4, 16);
    const server = await serve(model, { name: "m", pollMs: 0 });
    try {
      const rows = [[0.1, -1.25, 2, 3.5e-1], [1, 2, 3, 4], [-0.5, 0, 0.25, 1e-3]];
      const fast = await call(server.url, "POST", "/v1/models/m:predict", { instances: rows });
      // An unknown extra key makes the body non-numeric: the JSON.parse path (which ignores it).
      const general = await call(server.url, "POST", "/v1/models/m:predict", { instances: rows, note: "general path" });
      assert.equal(fast.status, 200, fast.text);
      assert.equal(fast.text, general.text);
      const direct = tf.tidy(() => (model.predict(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][]);
      fast.body.predictions.forEach((p: { probabilities: number[] }, i: number) => p.probabilities.forEach((v, j) => assert.ok(Math.abs(v - direct[i][j]) < 1e-6)));
      const columnar = await call(server.url, "POST", "/v1/models/m:predict", { inputs: rows });
      assert.deepEqual(columnar.body.outputs.label, fast.body.predictions.map((p: { label: string }) => p.label));
      // Numeric but the wrong shape: the general path's 400 that says what was expected.
      const wrong = await call(server.url, "POST", "/v1/models/m:predict", { instances: [[1, 2, 3]] });
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error, /\[4\]/);
      const notFinite = await call(server.url, "POST", "/v1/models/m:predict", '{"instances": [[1, 2, 3, 1e999]]}');
      assert.equal(notFinite.status, 400);
      // Mutated numeric bodies (bytes flipped, cut, repeated): 200 or 400 only, never a crash.
      const r = rand(5);
      const valid = Buffer.from(JSON.stringify({ instances: rows }));
      const alphabet = Buffer.from('[]{},:"-+.eE0123456789 \\x');
      for (let k = 0; k < 150; k++) {
        const body = Buffer.from(valid);
        const edits = 1 + Math.floor(r() * 3);
        for (let e = 0; e < edits; e++) body[Math.floor(r() * body.length)] = alphabet[Math.floor(r() * alphabet.length)];
        const cut = r() < 0.2 ? body.subarray(0, Math.floor(r() * body.length)) : body;
        const answer = await call(server.url, "POST", "/v1/models/m:predict", new Uint8Array(cut));
        assert.ok(answer.status === 200 || answer.status === 400, `${answer.status} for ${cut.toString()}: ${answer.text}`);
        if (answer.status === 200) assert.equal(answer.body.predictions.length, JSON.parse(cut.toString()).instances.length);
      }
      assert.equal((await call(server.url, "GET", "/healthz")).status, 200);
    } finally {
      await server.stop();
    }
  });
});
