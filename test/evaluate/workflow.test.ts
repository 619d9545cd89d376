import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { LeptonError, locale } from "../../src/i18n/index";
import * as ev from "../../src/evaluate/index";
import * as plot from "../../src/plot/index";
import { DISPLAY, installHost } from "../../src/runtime/host";

const PLOTLY = "application/vnd.plotly.v1+json";

/** A nearest-centroid classifier: a real model, small enough to train in every fold quickly. */
class Centroids {
  centroids: number[][] = [];
  disposed = false;
  fit(x: number[][], y: number[]): void {
    const k = Math.max(...y) + 1;
    this.centroids = Array.from({ length: k }, (_, c) => {
      const rows = x.filter((_, i) => y[i] === c);
      return x[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / Math.max(1, rows.length));
    });
  }
  predict(x: number[][]): number[] {
    return x.map((r) => this.centroids.map((c) => c.reduce((s, v, j) => s + (v - r[j]) ** 2, 0)))
      .map((d) => d.indexOf(Math.min(...d)));
  }
  dispose(): void { this.disposed = true; }
}

function blobs(n: number, seed: number): { x: number[][]; y: number[] } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3 === 0 ? 2 : i % 2; // unequal class sizes
    x.push([c * 3 + rand(), c * -2 + rand()]);
    y.push(c);
  }
  return { x, y };
}

describe("evaluate: cross-validation, search, top losses, displays", function () {
  this.timeout(60_000);
  before(() => { plot.configure({ staticImage: "none" }); });
  after(() => { plot.configure({ staticImage: "svg" }); });

  it("crossValidate: every example validated once, stratified folds, mean and std of the folds", async () => {
    const data = blobs(61, 1);
    const seen: number[] = [];
    const models: Centroids[] = [];
    const cv = await ev.crossValidate(
      () => { const m = new Centroids(); models.push(m); return m; },
      (model, train, val, info) => {
        const trainSet = new Set(info.trainIndices);
        assert.ok(!Array.from(info.valIndices).some((i) => trainSet.has(i)), "train and validation are disjoint");
        seen.push(...info.valIndices);
        // Stratified: each class's count in this fold is within one of its share.
        for (const c of [0, 1, 2]) {
          const inFold = (val.y as number[]).filter((v) => v === c).length;
          const share = data.y.filter((v) => v === c).length / 5;
          assert.ok(Math.abs(inFold - share) < 1, `class ${c}: ${inFold} vs ${share}`);
        }
        model.fit(train.x as number[][], train.y as number[]);
        return { accuracy: ev.accuracy(val.y as number[], model.predict(val.x as number[][])), fold: info.fold };
      },
      data, { k: 5, seed: 3 });
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 61 }, (_, i) => i));
    assert.equal(cv.folds.length, 5);
    assert.ok(cv.stratified);
    assert.ok(models.every((m) => m.disposed), "fold models are disposed");
    const accs = cv.folds.map((f) => f.accuracy);
    const mean = accs.reduce((a, b) => a + b) / 5;
    assert.equal(cv.mean.accuracy, mean);
    assert.ok(Math.abs(cv.std.accuracy - Math.sqrt(accs.reduce((s, a) => s + (a - mean) ** 2, 0) / 5)) < 1e-15);
    assert.ok(cv.mean.accuracy > 0.95, `separable blobs: ${cv.mean.accuracy}`);
    const text = cv.toString();
    assert.match(text, /5-fold cross-validation \(stratified\)/);
    assert.match(text, /accuracy: 1 ± 0|accuracy: 0\.\d+ ± /);
    assert.ok(String(cv[DISPLAY]()["text/html"]).includes("<table"));
  });

  it("crossValidate does not stratify integer regression targets whose values cannot fill every fold, unless asked", async () => {
    const x = Array.from({ length: 40 }, (_, i) => [i]);
    const y = x.map(([v]) => v * 3); // 40 distinct integers: numbers, not classes
    const score = () => ({ n: 1 });
    assert.equal((await ev.crossValidate(() => ({}), score, { x, y }, { k: 4 })).stratified, false);
    assert.doesNotMatch((await ev.crossValidate(() => ({}), score, { x, y }, { k: 4 })).toString(), /stratified/);
    const classes = x.map((_, i) => i % 2);
    assert.equal((await ev.crossValidate(() => ({}), score, { x, y: classes }, { k: 4 })).stratified, true);
  });

  it("crossValidate keeps out-of-fold predictions, each from the model that did not train on it, for comparing two models", async () => {
    const data = blobs(61, 1);
    // make a few examples ambiguous so that the two models below disagree somewhere
    for (const i of [0, 7, 14, 21]) data.x[i] = [1.5, -1];
    const valOf: Int32Array[] = [];
    const centroids = await ev.crossValidate(() => new Centroids(), (model, train, val, info) => {
      model.fit(train.x as number[][], train.y as number[]);
      info.keepPredictions(model.predict(val.x as number[][]));
      valOf[info.fold] = info.valIndices;
      return ev.accuracy(val.y as number[], model.predict(val.x as number[][]));
    }, data, { k: 5, seed: 3, keepModels: true });
    const oof = centroids.predictions!;
    assert.equal(oof.length, 61);
    // Every example's prediction is that of the model of the fold where it was held out.
    valOf.forEach((rows, f) => rows.forEach((i) => assert.equal(oof[i], centroids.models[f].predict([data.x[i]])[0], `example ${i}`)));
    // A second, weaker model on the same folds (same seed): the most frequent training class.
    const majority = await ev.crossValidate(() => ({ label: 0 }), (model, train, val, info) => {
      const counts = [0, 0, 0];
      for (const c of train.y as number[]) counts[c]++;
      model.label = counts.indexOf(Math.max(...counts));
      info.keepPredictions((val.y as number[]).map(() => model.label));
      return 0;
    }, data, { k: 5, seed: 3 });
    const r = ev.compareClassifiers(data.y, oof, majority.predictions!, { names: ["centroids", "majority"] });
    assert.equal(r.n, 61);
    assert.equal(r.accuracy[0], Array.from(oof).filter((p, i) => p === data.y[i]).length / 61);
    assert.ok(r.counts.onlyFirst > r.counts.onlySecond && r.pValue < 0.05, JSON.stringify(r.counts));
    // Without keepPredictions there are none; in some folds only, or of the wrong length: clear errors.
    assert.equal((await ev.crossValidate(() => new Centroids(), () => 1, data, { k: 3 })).predictions, undefined);
    await assert.rejects(ev.crossValidate(() => new Centroids(), (m, tr, val, info) => { if (info.fold !== 1) info.keepPredictions((val.y as number[]).map(() => 0)); return 1; }, data, { k: 3 }),
      (e: LeptonError) => e.code === "evaluate:cvPredictionsMissing" && /Fold 2 kept no predictions, while 2 of the 3/.test(e.message));
    await assert.rejects(ev.crossValidate(() => new Centroids(), (m, tr, val, info) => { info.keepPredictions([0, 1]); return 1; }, data, { k: 3 }),
      (e: LeptonError) => e.code === "evaluate:cvPredictionsLength" && /Fold 1 kept 2 predictions for its 2\d validation examples/.test(e.message));
  });

  it("crossValidate with tensors: same folds for the same seed, tensors freed, tfjs model trains", async () => {
    const data = blobs(45, 2);
    const x = tf.tensor2d(data.x), y = tf.oneHot(tf.tensor1d(data.y, "int32"), 3);
    const run = (seed: number) => {
      const folds: number[][] = [];
      return ev.crossValidate(
        () => {
          const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
          m.compile({ optimizer: tf.train.adam(0.1), loss: "categoricalCrossentropy" });
          return m;
        },
        async (model, train, val, info) => {
          folds.push(Array.from(info.valIndices));
          await model.fit(train.x, train.y, { epochs: 60, verbose: 0, shuffle: false });
          const probs = model.predict(val.x) as tf.Tensor;
          const acc = ev.accuracy(val.y, probs);
          probs.dispose();
          model.optimizer.dispose(); // ours, not the model's: tfjs leaves it to its creator
          return acc;
        },
        { x, y }, { k: 3, seed }).then((cv) => ({ cv, folds }));
    };
    const before = tf.memory().numTensors;
    const a = await run(7);
    const leaked = tf.memory().numTensors - before;
    const b = await run(7);
    const c = await run(8);
    assert.deepEqual(a.folds, b.folds, "same seed, same folds");
    assert.notDeepEqual(a.folds, c.folds, "another seed, other folds");
    assert.ok(a.cv.stratified, "one-hot y is stratified by its argmax");
    assert.ok(a.cv.mean.score > 0.8, `accuracy ${a.cv.mean.score}`);
    assert.equal(leaked, 0, "no tensors left behind by the folds or the disposed models");
    tf.dispose([x, y]);
  });

  it("crossValidate stops cleanly between folds on interrupt and rejects bad results", async () => {
    const controller = new AbortController();
    installHost({ name: "test", display: () => undefined, clearOutput: () => undefined, signal: () => controller.signal });
    try {
      let folds = 0;
      const cv = await ev.crossValidate(() => new Centroids(), (m, tr, val, info) => {
        info.keepPredictions((val.y as number[]).map(() => 0));
        if (++folds === 2) controller.abort();
        return 1;
      }, blobs(30, 3), { k: 5 });
      assert.equal(cv.folds.length, 2);
      assert.ok(cv.stopped);
      assert.equal(cv.predictions, undefined, "no out-of-fold predictions for part of the data");
      assert.match(cv.toString(), /Stopped after 2 of 5/);
    } finally {
      installHost(undefined);
    }
    await assert.rejects(ev.crossValidate(() => new Centroids(), () => "good", blobs(30, 3), { k: 3 }),
      (e: LeptonError) => e.code === "evaluate:badTrainResult" && /"good"/.test(e.message));
  });

  it("gridSearch tries every combination and ranks them", async () => {
    const calls: unknown[] = [];
    const result = await ev.gridSearch({ a: [0, 1, 2, 3], b: [-1, 1] }, (p) => {
      calls.push({ ...p });
      const a = p.a as number, b = p.b as number;
      return { loss: (a - 2) ** 2 + (b - 1) ** 2, a_plus_b: a + b };
    });
    assert.equal(result.trials.length, 8);
    assert.deepEqual(calls.slice(0, 3), [{ a: 0, b: -1 }, { a: 0, b: 1 }, { a: 1, b: -1 }]);
    assert.equal(result.metric, "loss");
    assert.equal(result.mode, "min");
    assert.deepEqual(result.best.params, { a: 2, b: 1 });
    const table = result.toTable();
    assert.deepEqual(table.rows.map((r) => r.loss), [0, 1, 1, 4, 4, 5, 5, 8], "best first");
    assert.deepEqual(result.toTable("a_plus_b", true).rows[0].a_plus_b, 4);
    assert.match(result.toString(), /Grid search: 8 trials, best loss = 0/);
    assert.ok(String(result[DISPLAY]()["text/html"]).includes("addEventListener(\"click\""), "sortable in the page");
    const maxed = await ev.gridSearch({ a: [1, 5, 3] }, (p) => ({ accuracy: (p.a as number) / 10 }));
    assert.deepEqual(maxed.best.params, { a: 5 });
    await assert.rejects(ev.gridSearch({}, () => 1), (e: LeptonError) => e.code === "evaluate:emptySpace");
    await assert.rejects(ev.gridSearch({ a: [1] }, () => 1, { metric: "f1" }), (e: LeptonError) => e.code === "evaluate:noMetric");
  });

  it("randomSearch draws from lists and ranges, reproducibly", async () => {
    const space = { lr: { min: 1e-4, max: 1e-1, log: true }, units: { min: 8, max: 12, integer: true }, opt: ["adam", "sgd"] };
    const objective = (p: ev.Params) => ({ score: -Math.abs(Math.log10(p.lr as number) + 2) });
    const a = await ev.randomSearch(space, objective, { trials: 30, seed: 5 });
    const b = await ev.randomSearch(space, objective, { trials: 30, seed: 5 });
    const c = await ev.randomSearch(space, objective, { trials: 30, seed: 6 });
    assert.deepEqual(a.trials.map((tr) => tr.params), b.trials.map((tr) => tr.params));
    assert.notDeepEqual(a.trials.map((tr) => tr.params), c.trials.map((tr) => tr.params));
    for (const { params } of a.trials) {
      assert.ok((params.lr as number) >= 1e-4 && (params.lr as number) <= 1e-1);
      assert.ok(Number.isInteger(params.units) && (params.units as number) >= 8 && (params.units as number) <= 12);
      assert.ok(["adam", "sgd"].includes(params.opt as string));
    }
    assert.equal(new Set(a.trials.map((tr) => tr.params.units)).size, 5, "every integer in range is drawn");
    const decades = new Set(a.trials.map((tr) => Math.floor(Math.log10(tr.params.lr as number))));
    assert.ok(decades.size >= 3, "log scale covers the decades");
    assert.equal(a.mode, "max");
    await assert.rejects(ev.randomSearch({ lr: { min: 1, max: 0 } }, objective), (e: LeptonError) => e.code === "evaluate:badRange");
  });

  it("topLosses finds the worst examples and shows them as an image grid", () => {
    const yTrue = [0, 1, 2, 1, 0];
    const probs = [[0.9, 0.05, 0.05], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1], [0.2, 0.1, 0.7]];
    const images = tf.randomUniform([5, 6, 6]);
    const top = ev.topLosses(yTrue, probs, { k: 3, images, classNames: ["zero", "one", "two"] });
    assert.deepEqual(top.indices, [4, 1, 3]);
    assert.deepEqual(top.predicted, [2, 0, 1]);
    assert.deepEqual(top.actual, [0, 1, 1]);
    assert.ok(Math.abs(top.losses[0] + Math.log(0.2)) < 1e-12);
    assert.equal(top.captions()[0], "two / zero / 1.61 / 20%");
    const bundle = top[DISPLAY]();
    const fig = bundle[PLOTLY] as { data: { type: string; name: string }[] };
    assert.deepEqual(fig.data.map((d) => d.type), ["image", "image", "image"]);
    assert.equal(fig.data[1].name, "zero / one / 1.61 / 20%");
    const table = ev.topLosses(yTrue, probs, { k: 2 })[DISPLAY]();
    assert.ok(String(table["text/html"]).includes("<table") && table[PLOTLY] === undefined);
    images.dispose();
  });

  it("confusion matrix and report display as a heatmap and a localised table", () => {
    const yTrue = [0, 0, 1, 1, 2, 2, 2], yPred = [0, 1, 1, 1, 2, 0, 2];
    const cm = ev.confusionMatrix(yTrue, yPred, { classNames: ["cat", "dog", "bird"] });
    const bundle = cm[DISPLAY]();
    const heat = (bundle[PLOTLY] as { data: { type: string; z: number[][]; x: string[] }[] }).data[0];
    assert.equal(heat.type, "heatmap");
    assert.deepEqual(heat.z, [[1, 1, 0], [0, 2, 0], [1, 0, 2]]);
    assert.deepEqual(heat.x, ["cat", "dog", "bird"]);
    assert.match(String(bundle["text/plain"]), /bird\s+1\s+0\s+2/);

    const report = ev.classificationReport(yTrue, yPred, { classNames: ["cat", "dog", "bird"] });
    assert.match(report.toString(), /Class\s+Precision\s+Recall\s+F1\s+Support/);
    assert.match(report.toString(), /macro avg\s+0\.72\s+0\.72\s+0\.70\s+7/);
    locale("zh-CN");
    try {
      const html = String(report[DISPLAY]()["text/html"]);
      assert.ok(html.includes("精确率") && html.includes("宏平均") && html.includes("分类报告（7 个样本）"));
    } finally {
      locale("en");
    }
    const rocFig = ev.rocCurves(yTrue, [[0.8, 0.1, 0.1], [0.4, 0.5, 0.1], [0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.5, 0.1, 0.4], [0.2, 0.1, 0.7]])[DISPLAY]();
    assert.equal((rocFig[PLOTLY] as { data: unknown[] }).data.length, 4, "three classes and the chance line");
  });

  it("bad input gives clear errors", () => {
    assert.throws(() => ev.accuracy([0, 1], [0]), (e: LeptonError) => e.code === "evaluate:lengthMismatch" && /yTrue has 2/.test(e.message));
    assert.throws(() => ev.accuracy([], []), (e: LeptonError) => e.code === "evaluate:emptyInput");
    assert.throws(() => ev.accuracy([0, -1], [0, 1]), (e: LeptonError) => e.code === "evaluate:notLabels");
    assert.throws(() => ev.confusionMatrix([0, 3], [0, 1], { numClasses: 2 }), (e: LeptonError) => e.code === "evaluate:labelOutOfRange");
    assert.throws(() => ev.rocAuc([1, 1, 1], [0.2, 0.5, 0.9]), (e: LeptonError) => e.code === "evaluate:needTwoClasses");
    assert.throws(() => ev.precision([0, 1], [0, 1], { average: "mean" as ev.Average }), (e: LeptonError) => e.code === "evaluate:badAverage");
    assert.throws(() => ev.precision([0, 1, 2], [0, 1, 2], { average: "binary" }), (e: LeptonError) => e.code === "evaluate:badPositive");
    assert.throws(() => ev.logLoss([0, 3], [[0.5, 0.5], [0.5, 0.5]]), (e: LeptonError) => e.code === "evaluate:labelOutOfRange");
    assert.throws(() => ev.accuracy(tf.zeros([2, 2, 2]), [0, 1]), (e: LeptonError) => e.code === "evaluate:badShape");
  });
});
