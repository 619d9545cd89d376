/**
 * Every metric against scikit-learn's values on the same fixed predictions
 * (test/fixtures/sklearn/make.py, run with Debian's python3-sklearn, wrote the JSON).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ev from "../../src/evaluate/index";

const TOL = 1e-9;
function load(name: string) {
  return JSON.parse(readFileSync(path.join(__dirname, "../fixtures/sklearn", name), "utf8"));
}

function close(actual: unknown, expected: unknown, where = ""): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${where}: length`);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${where}[${i}]`));
    return;
  }
  const a = actual as number, e = expected as number;
  assert.ok(Math.abs(a - e) <= TOL * Math.max(1, Math.abs(e)), `${where}: ${a} != ${e}`);
}

describe("evaluate equals scikit-learn", () => {
  describe("binary", () => {
    const f = load("binary.json");
    it("accuracy, binary and averaged precision/recall/F1", () => {
      close(ev.accuracy(f.yTrue, f.yPred), f.accuracy, "accuracy");
      close(ev.precision(f.yTrue, f.yPred, { average: "binary" }), f.binary.precision, "precision");
      close(ev.recall(f.yTrue, f.yPred, { average: "binary" }), f.binary.recall, "recall");
      close(ev.f1(f.yTrue, f.yPred, { average: "binary" }), f.binary.f1, "f1");
      for (const avg of ["macro", "micro", "weighted"] as const) {
        close(ev.precision(f.yTrue, f.yPred, { average: avg }), f.prf[avg].precision, `precision ${avg}`);
        close(ev.recall(f.yTrue, f.yPred, { average: avg }), f.prf[avg].recall, `recall ${avg}`);
        close(ev.f1(f.yTrue, f.yPred, { average: avg }), f.prf[avg].f1, `f1 ${avg}`);
      }
    });
    it("predictions given as probabilities are thresholded at 0.5", () => {
      close(ev.accuracy(f.yTrue, f.score), f.accuracy, "accuracy from scores");
      close(ev.accuracy(tf.tensor1d(f.yTrue, "int32"), tf.tensor2d(f.score, [f.score.length, 1])), f.accuracy, "sigmoid column");
    });
    it("confusion matrix", () => {
      assert.deepEqual(ev.confusionMatrix(f.yTrue, f.yPred).matrix, f.confusionMatrix);
    });
    it("ROC curve (thresholds, dropped points) and AUC", () => {
      const roc = ev.rocCurve(f.yTrue, f.score);
      close(roc.fpr, f.roc.fpr, "fpr");
      close(roc.tpr, f.roc.tpr, "tpr");
      close(roc.thresholds, f.roc.thresholds, "thresholds");
      close(roc.auc, f.rocAuc, "auc");
      close(ev.rocAuc(f.yTrue, f.score), f.rocAuc, "rocAuc");
      const twoColumns = f.score.map((p: number) => [1 - p, p]);
      close(ev.rocAuc(f.yTrue, tf.tensor2d(twoColumns)), f.rocAucFromTwoColumns, "rocAuc [n, 2] tensor");
    });
    it("precision-recall curve and average precision", () => {
      const pr = ev.precisionRecallCurve(f.yTrue, f.score);
      close(pr.precision, f.pr.precision, "precision");
      close(pr.recall, f.pr.recall, "recall");
      close(pr.thresholds, f.pr.thresholds, "thresholds");
      close(ev.averagePrecision(f.yTrue, f.score), f.averagePrecision, "AP");
    });
    it("log loss, including clipping of a zero probability", () => {
      close(ev.logLoss(f.yTrue, f.score), f.logLoss, "log loss");
      const zeroed = f.score.map((p: number, i: number) => (f.yTrue[i] === 1 ? 0 : p));
      close(ev.logLoss(f.yTrue, zeroed), f.logLossClipped, "clipped log loss");
    });
  });

  for (const name of ["multiclass.json", "zero-division.json"]) {
    describe(name.replace(".json", ""), () => {
      const f = load(name);
      const names: string[] = f.targetNames;
      it("accuracy (labels, probability rows and tensors alike)", () => {
        close(ev.accuracy(f.yTrue, f.yPred), f.accuracy, "accuracy");
        close(ev.accuracy(tf.tensor1d(f.yTrue, "int32"), tf.tensor1d(f.yPred, "int32")), f.accuracy, "tensors");
        const oneHot = tf.oneHot(tf.tensor1d(f.yTrue, "int32"), f.k);
        close(ev.accuracy(oneHot, f.yPred), f.accuracy, "one-hot truth");
      });
      it("per-class and macro/micro/weighted precision, recall, F1, support", () => {
        const s = ev.precisionRecallF1(f.yTrue, f.yPred, { numClasses: f.k });
        close(s.precision, f.prf.perClass.precision, "precision");
        close(s.recall, f.prf.perClass.recall, "recall");
        close(s.f1, f.prf.perClass.f1, "f1");
        assert.deepEqual(s.support, f.prf.perClass.support);
        for (const avg of ["macro", "micro", "weighted"] as const) {
          close(s[avg].precision, f.prf[avg].precision, `${avg} precision`);
          close(s[avg].recall, f.prf[avg].recall, `${avg} recall`);
          close(s[avg].f1, f.prf[avg].f1, `${avg} f1`);
        }
      });
      it("confusion matrix, raw and normalised", () => {
        assert.deepEqual(ev.confusionMatrix(f.yTrue, f.yPred, { numClasses: f.k }).matrix, f.confusionMatrix);
        for (const norm of ["true", "pred", "all"] as const) {
          close(ev.confusionMatrix(f.yTrue, f.yPred, { numClasses: f.k, normalize: norm }).matrix, f.confusionMatrixNormalized[norm], norm);
        }
      });
      it("one-vs-rest ROC curves and AUC (macro, weighted)", () => {
        const rocs = ev.rocCurves(f.yTrue, f.probs);
        rocs.curves.forEach((c, i) => {
          close(c.fpr, f.rocCurves[i].fpr, `fpr ${i}`);
          close(c.tpr, f.rocCurves[i].tpr, `tpr ${i}`);
          close(c.thresholds, f.rocCurves[i].thresholds, `thresholds ${i}`);
          close(c.auc, f.rocCurves[i].auc, `auc ${i}`);
        });
        close(ev.rocAuc(f.yTrue, f.probs), f.rocAucOvrMacro, "macro");
        // A float32 tensor gives exactly what its float32 values give as arrays.
        const fromTensor = ev.rocCurves(tf.tensor1d(f.yTrue, "int32"), tf.tensor2d(f.probs));
        const rounded = ev.rocCurves(f.yTrue, f.probs.map((r: number[]) => r.map(Math.fround)));
        assert.deepEqual(fromTensor.curves.map((c) => c.thresholds), rounded.curves.map((c) => c.thresholds));
        assert.equal(fromTensor.macro, rounded.macro);
        close(ev.rocAuc(f.yTrue, f.probs, { average: "weighted" }), f.rocAucOvrWeighted, "weighted");
      });
      it("one-vs-rest precision-recall curves and average precision", () => {
        const prs = ev.precisionRecallCurves(f.yTrue, f.probs);
        prs.curves.forEach((c, i) => {
          close(c.precision, f.prCurves[i].precision, `precision ${i}`);
          close(c.recall, f.prCurves[i].recall, `recall ${i}`);
          close(c.thresholds, f.prCurves[i].thresholds, `thresholds ${i}`);
          close(c.averagePrecision, f.prCurves[i].averagePrecision, `AP ${i}`);
        });
      });
      it("log loss, overall and per example", () => {
        close(ev.logLoss(f.yTrue, f.probs), f.logLoss, "log loss");
        close(ev.exampleLosses(f.yTrue, f.probs), f.perSampleLogLoss, "per example");
      });
      it("classification report", () => {
        const report = ev.classificationReport(f.yTrue, f.yPred, { classNames: names }).toDict();
        for (const key of [...names, "macro avg", "weighted avg"]) {
          const line = report[key] as ev.ReportLine;
          const expected = f.report[key];
          close(line.precision, expected.precision, `${key} precision`);
          close(line.recall, expected.recall, `${key} recall`);
          close(line.f1, expected["f1-score"], `${key} f1`);
          assert.equal(line.support, expected.support, `${key} support`);
        }
        close(report.accuracy, f.report.accuracy, "accuracy");
      });
    });
  }
});
