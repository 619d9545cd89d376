import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { datasets } from "../../src/data/toplevel";
import { DISPLAY } from "../../src/runtime/host";
import { locale } from "../../src/i18n/index";

describe("data: how a loaded data set shows itself", () => {
  it("in a notebook: one table of class counts per split, with the source and licence", async () => {
    const d = await datasets.load("iris", { seed: 1 });
    const bundle = d[DISPLAY as never] as unknown as () => Record<string, string>;
    const shown = bundle.call(d);
    const text = shown["text/plain"];
    assert.match(text, /^iris: 150 samples of shape \[4\] \(120 train, 30 test\), 3 classes/);
    // Every class with its train and test counts, which add up to the splits.
    const rows = text.split("\n").filter((l) => /^(setosa|versicolor|virginica)\s/.test(l)).map((l) => l.trim().split(/\s+/));
    assert.equal(rows.length, 3);
    assert.equal(rows.reduce((s, r) => s + Number(r[1]), 0), d.train.length);
    assert.equal(rows.reduce((s, r) => s + Number(r[2]), 0), d.test.length);
    assert.deepEqual(rows.map((r) => Number(r[1])), d.train.classCounts());
    assert.match(text, /Licence: CC BY 4\.0/);
    assert.match(shown["text/html"], /<table/);
    assert.match(shown["text/html"], /<td[^>]*>virginica<\/td><td[^>]*>40<\/td><td[^>]*>10<\/td>/);
  });

  it("in console.log or inside another object: one line, not the feature array", async () => {
    const d = await datasets.load("mnist");
    const line = inspect(d);
    assert.equal(line, "mnist: 10,000 samples of shape [28, 28, 1] (8,000 train, 2,000 test), 10 classes");
    assert.equal(inspect({ data: d.train }), "{ data: train: 8000 samples of shape [28, 28, 1], 10 classes }");
    assert.ok(!inspect(d.test).includes("Float32Array"));
    const text = await datasets.load("udhr-langid");
    assert.match(inspect(text), /^udhr-langid: \d+ texts \(\d+ train, \d+ test\), 12 classes$/);
    assert.match(inspect(text.train), /^train: \d+ texts, 12 classes$/);
  });

  it("keeps the plain fields: keys, destructuring and JSON are as before", async () => {
    const d = await datasets.load("breast-cancer");
    assert.deepEqual(Object.keys(d), ["name", "train", "test", "classes", "card"]);
    const { train, test, ...rest } = d;
    assert.equal(train.length + test.length, 569);
    assert.deepEqual(Object.keys(rest), ["name", "classes", "card"]);
    assert.equal(JSON.parse(JSON.stringify({ name: d.name, classes: d.classes })).classes.length, 2);
  });

  it("in Chinese", async () => {
    const d = await datasets.load("iris");
    const before = locale();
    locale("zh-CN");
    try {
      assert.equal(inspect(d), "iris：150 个样本，形状 [4]（训练 120，测试 30），3 个类别");
    } finally {
      locale(before);
    }
  });
});
