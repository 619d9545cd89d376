CELLS = [
("markdown", """
# 03 · Evaluation: beyond one accuracy number

Accuracy alone hides which classes a model confuses, how confident it is and how much the score moves
with a different split. This notebook evaluates the zoo's pretrained **LeNet-5** on the 2,000 MNIST test
digits (confusion matrix, per-class precision/recall/F1, one-vs-rest ROC curves, the examples it gets
most wrong), then turns to model *selection* on Breast Cancer Wisconsin: k-fold cross-validation and a
grid search. Every metric is computed over the whole set (not averaged over batches) and matches
scikit-learn's definitions.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const epochs = 15;   // per fold, in the cross-validation and the grid search
const seed = 42;
const folds = 5;
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
const mnist = await lepton.datasets.load("mnist", { seed });
const lenet = await lepton.zoo.load("lenet5-mnist");
const xTest = mnist.test.x;   // created (and cached) outside tf.tidy, so the tidy below does not dispose it
const probs = tf.tidy(() => lenet.predict(xTest) as tf.Tensor2D);
const digits = mnist.classes;
console.log(`LeNet-5 (pretrained), accuracy on ${mnist.test.length} test digits: ${(100 * lepton.evaluate.accuracy(mnist.test.y, probs)).toFixed(2)}%`);
"""),
("markdown", "## 1. Confusion matrix\nRows are the true digits, columns the predictions; the diagonal is what the model gets right."),
("code", """
lepton.evaluate.confusionMatrix(mnist.test.y, probs, { classNames: digits })
"""),
("markdown", "Normalised by row, the same matrix reads as the recall of each digit and where its errors go:"),
("code", """
lepton.evaluate.confusionMatrix(mnist.test.y, probs, { classNames: digits, normalize: "true" })
"""),
("markdown", "## 2. Precision, recall and F1 per class\nWith the macro (unweighted) and weighted averages over classes."),
("code", """
const report = lepton.evaluate.classificationReport(mnist.test.y, probs, { classNames: digits, digits: 3 });
report
"""),
("code", """
const perClass = lepton.evaluate.precisionRecallF1(mnist.test.y, probs);
lepton.plot.bar({ x: perClass.labels.map((l) => digits[l]), y: { precision: perClass.precision, recall: perClass.recall },
  title: "Precision and recall per digit", yLabel: "score" })
"""),
("markdown", """
## 3. ROC curves and AUC (one-vs-rest)

Each digit against all others: the curve traces true against false positive rate as the decision
threshold moves; the area under it (AUC) is 1 for a perfect ranking and 0.5 for chance.
"""),
("code", """
const rocs = lepton.evaluate.rocCurves(mnist.test.y, probs, { classNames: digits });
console.log(`macro AUC ${rocs.macro.toFixed(4)}, weighted AUC ${rocs.weighted.toFixed(4)}`);
rocs
"""),
("markdown", """
## 4. Top losses

The examples with the highest loss: confident mistakes, ambiguous handwriting and, sometimes, wrong
labels. Each caption reads *predicted / actual / loss / probability of the actual class*.
"""),
("code", """
lepton.evaluate.topLosses(mnist.test.y, probs, { k: 12, images: xTest, classNames: digits, columns: 6 })
"""),
("markdown", """
## 5. Is one model really better? Two models on the same test set

The zoo's LeptonNet scores a little below LeNet-5 on these digits. Both were measured on the *same*
2,000 images, so the right question is about the images where only one of them is right: if the two were
equally good, each such image would be a coin flip. That is McNemar's exact test.
"""),
("code", """
const leptonNet = await lepton.zoo.load("leptonnet-mnist");
const leptonProbs = tf.tidy(() => leptonNet.predict(xTest) as tf.Tensor2D);
lepton.evaluate.compareClassifiers(mnist.test.y, leptonProbs, probs, { names: ["LeptonNet", "LeNet-5"] })
"""),
("markdown", """
## 6. k-fold cross-validation

One train/test split gives one number; a different seed gives another. *k*-fold cross-validation trains
*k* models, each validated on a different fifth of the data, and reports the mean and the standard
deviation. The standardisation is fitted **inside** each fold on its training part, so no fold peeks at
its validation rows.
"""),
("code", """
const bc = await lepton.datasets.load("breast-cancer", { seed });
const bcData = { x: bc.train.x, y: bc.train.y };   // model selection uses the training split only

type Split = { x: tf.Tensor; y: tf.Tensor };
async function trainAndScore(model: tf.LayersModel, train: Split, val: Split, lr: number) {
  const { mean, variance } = tf.moments(train.x, 0);   // fold-local statistics
  const std = variance.sqrt().add(1e-7);
  const xTrain = train.x.sub(mean).div(std), xVal = val.x.sub(mean).div(std);
  await lepton.fit(model, { x: xTrain, y: train.y }, { epochs, batchSize: 32, lr, seed, verbose: false });
  const p = model.predict(xVal) as tf.Tensor;
  const scores = { accuracy: lepton.evaluate.accuracy(val.y, p), f1: lepton.evaluate.f1(val.y, p, { average: "macro" }), auc: lepton.evaluate.rocAuc(val.y, p) };
  tf.dispose([mean, variance, std, xTrain, xVal, p]);
  return scores;
}
const cv = await lepton.evaluate.crossValidate(
  () => lepton.zoo.mlp({ inputShape: 30, hidden: [16], numClasses: 2 }),
  (model, train, val) => trainAndScore(model, train, val, 3e-3),
  bcData, { k: folds, stratified: true, seed });
cv
"""),
("code", """
lepton.plot.box({ values: { accuracy: cv.folds.map((f) => f.accuracy), "macro F1": cv.folds.map((f) => f.f1), AUC: cv.folds.map((f) => f.auc) },
  points: true, title: `Spread over ${folds} folds`, yLabel: "score" })
"""),
("markdown", """
## 7. Grid search

Which learning rate and hidden width? Every combination is scored by 3-fold cross-validation on the
training split; the table is sortable (click a heading). The test split stays untouched until the
end, for one final, honest number.
"""),
("code", """
const search = await lepton.evaluate.gridSearch(
  { lr: [1e-3, 1e-2], hidden: [4, 32] },
  async ({ lr, hidden }) => {
    const result = await lepton.evaluate.crossValidate(
      () => lepton.zoo.mlp({ inputShape: 30, hidden: [hidden as number], numClasses: 2 }),
      (model, train, val) => trainAndScore(model, train, val, lr as number),
      bcData, { k: 3, stratified: true, seed });
    return result.mean;
  },
  { metric: "accuracy" });
search
"""),
("code", """
// The chosen setting, trained on the whole training split and measured once on the test split.
const best = search.best.params;
const finalModel = lepton.zoo.mlp({ inputShape: 30, hidden: [best.hidden as number], numClasses: 2 });
const finalScores = await trainAndScore(finalModel, { x: bc.train.x, y: bc.train.y }, { x: bc.test.x, y: bc.test.y }, best.lr as number);
new lepton.evaluate.Table([{ key: "metric", title: "Metric" }, { key: "cv", title: "Cross-validated (train)" }, { key: "test", title: "Held-out test" }],
  (["accuracy", "f1", "auc"] as const).map((m) => ({ metric: m, cv: search.best.metrics[m].toFixed(4), test: finalScores[m].toFixed(4) })),
  { title: `Best setting: lr ${best.lr}, hidden ${best.hidden}` })
"""),
("markdown", """
**What to remember.** Look at the confusion matrix and the top losses before trusting a score; report
per-class numbers; use cross-validation (with preprocessing inside the folds) to choose, and the test
split once, at the end. Next: `04-transfer-learning`.
"""),
]
