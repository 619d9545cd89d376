/**
 * Regression metrics against scikit-learn 1.2 on fixed predictions (test/fixtures/sklearn/make.py
 * wrote regression.json), the report, and a regressor from the zoo trained end to end.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ev from "../../src/evaluate/index";
import { load } from "../../src/data/datasets/index";
import { LeptonError, locale } from "../../src/i18n/index";
import { DISPLAY } from "../../src/runtime/host";
import { displayWidth } from "../../src/runtime/tables";
import { seed } from "../../src/backend/random";
import { fit } from "../../src/train/fit";
import * as zoo from "../../src/zoo/index";

interface Case { yTrue: number[] | number[][]; yPred: number[] | number[][]; scores: Record<string, number> }
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/sklearn/regression.json"), "utf8")) as Record<string, Case>;

const FUNCTIONS: Record<string, (t: ev.ValuesLike, p: ev.ValuesLike) => number> = {
  mae: ev.meanAbsoluteError, mse: ev.meanSquaredError, rmse: ev.rootMeanSquaredError, r2: ev.r2Score,
  explainedVariance: ev.explainedVariance, medianAbsoluteError: ev.medianAbsoluteError, mape: ev.meanAbsolutePercentageError,
  maxError: ev.maxError,
};

const close = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs scikit-learn ${b}`);
// tensors hold float32: about 7 significant digits
const FLOAT32 = 2e-6;

describe("evaluate: regression metrics equal scikit-learn's", () => {
  for (const [name, c] of Object.entries(fixture)) {
    if (name === "sklearnVersion") continue;
    it(`${name}: every metric, from arrays and from tensors, and the report`, () => {
      for (const [metric, want] of Object.entries(c.scores)) {
        close(FUNCTIONS[metric](c.yTrue, c.yPred), want, `${name} ${metric}`);
        close(FUNCTIONS[metric](tf.tensor(c.yTrue), tf.tensor(c.yPred)), want, `${name} ${metric} (tensors)`, FLOAT32);
      }
      const report = ev.regressionReport(c.yTrue, c.yPred);
      for (const [metric, want] of Object.entries(c.scores)) close(report.scores[metric as keyof ev.RegressionScores], want, `${name} report ${metric}`);
    });
  }

  it("a column vector and [n, 1] predictions score the same as plain vectors", () => {
    const c = fixture.single;
    const col = (c.yPred as number[]).map((v) => [v]);
    close(ev.r2Score(c.yTrue, col), c.scores.r2, "r2 with [n, 1] predictions");
    close(ev.meanAbsoluteError(tf.tensor2d(col), c.yTrue), c.scores.mae, "mae with a [n, 1] tensor", FLOAT32);
  });

  it("the report shows every metric as a table and one line in console.log, in English and Chinese", () => {
    const report = ev.regressionReport([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    const text = String(report[DISPLAY]()["text/plain"]);
    assert.match(text, /^Regression report \(4 examples\)\n/);
    assert.match(String(ev.regressionReport([[1, 2], [3, 4], [5, 7]], [[1, 2], [3, 5], [5, 6]])[DISPLAY]()["text/plain"]), /3 examples, 2 outputs averaged/);
    assert.match(text, /R² \(coefficient of determination\)\s+0\.9486/);
    assert.match(text, /Mean absolute percentage error\s+32\.74%/);
    assert.match(String(report[DISPLAY]()["text/html"]), /<table/);
    assert.equal(inspect(report), "Regression report (4 examples): R² 0.9486, RMSE 0.6124, MAE 0.5");
    try {
      locale("zh-CN");
      assert.match(String(report[DISPLAY]()["text/plain"]), /回归报告/);
      assert.match(String(report[DISPLAY]()["text/plain"]), /决定系数/);
      // Chinese labels are twice as wide in a terminal: the right-aligned values still end in one column
      const rows = String(report[DISPLAY]()["text/plain"]).split("\n").slice(1).filter((l) => l.trim());
      assert.equal(new Set(rows.map(displayWidth)).size, 1, rows.join("\n"));
    } finally {
      locale("en");
    }
  });

  it("bad input says what is wrong", () => {
    const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as LeptonError).code; } return "no error"; };
    assert.equal(code(() => ev.r2Score([1, 2, 3], [1, 2])), "evaluate:lengthMismatch");
    assert.equal(code(() => ev.r2Score([[1, 2], [3, 4]], [1, 2])), "evaluate:outputsMismatch");
    assert.equal(code(() => ev.meanSquaredError([1, NaN], [1, 2])), "evaluate:notFinite");
    assert.equal(code(() => ev.meanSquaredError([], [])), "evaluate:emptyInput");
    assert.equal(code(() => ev.maxError(tf.zeros([2, 2, 2]), tf.zeros([2, 2, 2]))), "evaluate:badShape");
  });
});

describe("zoo: regressors", function () {
  this.timeout(120_000);
  before(async () => { await tf.setBackend("cpu"); });

  it("numClasses below 2 is refused (a one-class softmax always outputs 1) and the error points to the regressors", () => {
    for (const build of [() => zoo.mlp({ inputShape: 3, numClasses: 1 }), () => zoo.logisticRegression({ inputShape: 3, numClasses: 1 }), () => zoo.lenet5({ numClasses: 0 })]) {
      assert.throws(build, (e: LeptonError) => e.code === "zoo:badNumClasses" && /mlpRegressor/.test(e.message));
    }
    assert.throws(() => zoo.mlpRegressor({ inputShape: 3, outputs: 0 }), (e: LeptonError) => e.code === "zoo:badOutputs");
  });

  it("targets that do not match the outputs are refused before training (MSE would broadcast them silently)", async () => {
    const x = tf.randomNormal([12, 3]);
    for (const y of [tf.randomNormal([12, 1]), tf.randomNormal([12]), tf.randomNormal([12, 2])]) {
      await assert.rejects(fit(zoo.mlpRegressor({ inputShape: 3, outputs: 3, hidden: [4] }), { x, y }, { epochs: 1, verbose: false }),
        (e: LeptonError) => e.code === "train:targetShape" && /\[batch, 3\]/.test(e.message), `targets ${y.shape}`);
    }
    const ok = await fit(zoo.mlpRegressor({ inputShape: 3, hidden: [4] }), { x, y: tf.randomNormal([12]) }, { epochs: 1, verbose: false });
    assert.equal(ok.epochs.length, 1, "a vector of targets for one output is fine");
  });

  it("mlpRegressor learns iris petal width from the other measurements (R² on held-out flowers), with no loss option", async () => {
    const { train, test } = await load("iris", { seed: 7 });
    // features 0..2 predict feature 3 (petal width)
    const split = (s: typeof train) => {
      const n = s.length;
      const x = Array.from({ length: n }, (_, i) => [s.features[i * 4], s.features[i * 4 + 1], s.features[i * 4 + 2]]);
      const y = Array.from({ length: n }, (_, i) => s.features[i * 4 + 3]);
      return { x, y };
    };
    const a = split(train), b = split(test);
    seed(3); // the initial weights too

    const linear = zoo.linearRegression({ inputShape: 3 });
    const mlp = zoo.mlpRegressor({ inputShape: 3, hidden: [16] });
    assert.equal(mlp.outputs[0].shape[1], 1);
    for (const model of [linear, mlp]) {
      await fit(model, { x: a.x, y: a.y }, { epochs: 150, batchSize: 16, lr: 0.01, verbose: false, seed: 3 });
      const pred = model.predict(tf.tensor2d(b.x)) as tf.Tensor;
      const report = ev.regressionReport(b.y, pred);
      assert.ok(report.scores.r2 > 0.85, `${model.name}: R² ${report.scores.r2}`);
      assert.ok(report.scores.rmse < 0.35, `${model.name}: RMSE ${report.scores.rmse}`);
      pred.dispose();
    }
    seed(null);
  });
});
