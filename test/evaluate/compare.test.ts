/**
 * compareClassifiers against SciPy on fixed predictions (test/fixtures/scipy/make.py wrote the
 * JSON with Debian's python3-scipy): counts, accuracies, the paired interval and McNemar's exact p.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ev from "../../src/evaluate/index";
import { LeptonError, locale } from "../../src/i18n/index";

interface Case {
  name: string; yTrue: number[]; predA: number[]; predB: number[];
  counts: ev.AgreementCounts; accuracy: [number, number]; difference: number; standardError: number; interval95: [number, number]; pValue: number;
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/scipy/mcnemar.json"), "utf8")) as { cases: Case[] };
const close = (a: number, e: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}: ${a} != ${e}`);

describe("evaluate.compareClassifiers equals SciPy (McNemar's exact test)", () => {
  for (const f of fixture.cases) {
    it(f.name, () => {
      const r = ev.compareClassifiers(f.yTrue, f.predA, f.predB, { names: ["A", "B"] });
      assert.deepEqual(r.counts, f.counts);
      close(r.accuracy[0], f.accuracy[0], "accuracy A");
      close(r.accuracy[1], f.accuracy[1], "accuracy B");
      close(r.difference, f.difference, "difference");
      close(r.standardError, f.standardError, "standard error");
      close(r.interval95[0], f.interval95[0], "interval low");
      close(r.interval95[1], f.interval95[1], "interval high");
      // Relative 1e-9, also for p-values far below float64's smallest power of two (log-space sum).
      close(r.pValue, f.pValue, "p-value", 1e-9);
      assert.ok(r.pValue > 0 || f.pValue === 0);
    });
  }

  it("swapping the models mirrors the table and keeps p", () => {
    const f = fixture.cases[0];
    const ab = ev.compareClassifiers(f.yTrue, f.predA, f.predB);
    const ba = ev.compareClassifiers(f.yTrue, f.predB, f.predA);
    assert.equal(ab.counts.onlyFirst, ba.counts.onlySecond);
    close(ab.difference, -ba.difference, "difference");
    close(ab.pValue, ba.pValue, "p");
  });

  it("takes probability tensors (argmax) and says whether the difference is significant, in English and Chinese", () => {
    const f = fixture.cases[1];
    const oneHot = (labels: number[]) => tf.oneHot(tf.tensor1d(labels, "int32"), 3).mul(0.8).add(0.05);
    const r = ev.compareClassifiers(tf.tensor1d(f.yTrue, "int32"), oneHot(f.predA), oneHot(f.predB), { names: ["small", "big"] });
    assert.deepEqual(r.counts, f.counts);
    assert.equal(r.significant, true);
    const text = r.toString();
    assert.match(text, /small against big on the same 600 examples/);
    assert.match(text, /significant difference at the 0\.05 level/);
    assert.doesNotMatch(text, /not a significant/);
    const html = r[Symbol.for("Jupyter.display") as never] as unknown as () => Record<string, string>;
    assert.match(html.call(r)["text/html"], /<table/);
    const near = ev.compareClassifiers(fixture.cases[0].yTrue, fixture.cases[0].predA, fixture.cases[0].predB);
    assert.match(near.summary(), /not a significant difference/);
    const before = locale();
    locale("zh-CN");
    try {
      assert.match(near.summary(), /差异不显著/);
    } finally {
      locale(before);
    }
  });

  it("bad input: different lengths, empty input, a significance level outside (0, 1)", () => {
    const code = (c: string) => (e: unknown) => e instanceof LeptonError && e.code === c;
    assert.throws(() => ev.compareClassifiers([0, 1, 1], [0, 1], [0, 1, 1]), code("evaluate:lengthMismatch"));
    assert.throws(() => ev.compareClassifiers([0, 1], [0, 1], [1]), code("evaluate:lengthMismatch"));
    assert.throws(() => ev.compareClassifiers([], [], []), code("evaluate:emptyInput"));
    assert.throws(() => ev.compareClassifiers([0, 1], [0, 1], [0, 1], { alpha: 5 }), code("evaluate:badAlpha"));
  });
});
