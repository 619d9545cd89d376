import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exercise import CHECK_HELPER, exercise


def build(todo):
    return [
("markdown", """
# Workshop 2 · Training and evaluating a classifier

Four exercises: build a model from the zoo, train it with validation, stop early, and measure it on
the test split. As in workshop 1, replace each `undefined` after a `// TODO`, run the cell, then run
its **check** cell (✅ right, or ❌ with a hint). The notebook runs top to bottom even with the
exercises unfilled.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const seed = 42;
const epochs = 30;
""", {"tags": ["parameters"]}),
CHECK_HELPER,
("code", """
// The data from workshop 1, already standardised with training statistics only.
lepton.seed(seed);
const { train, test, classes } = await lepton.datasets.load("breast-cancer", { seed });
const { mean, variance } = tf.moments(train.x, 0);
const std = variance.sqrt().add(1e-7);
const xTrain = train.x.sub<tf.Tensor2D>(mean).div<tf.Tensor2D>(std);
const xTest = test.x.sub<tf.Tensor2D>(mean).div<tf.Tensor2D>(std);
console.log(`train ${xTrain.shape}, test ${xTest.shape}, classes: ${classes.join(", ")}`);
"""),
("markdown", """
## Exercise 1 · A model from the zoo

Build a multi-layer perceptron for 30 input features and 2 classes with one hidden layer of 16 units:
`lepton.zoo.mlp({ inputShape, hidden, numClasses })`. Show it with `lepton.zoo.summary(model)`.
"""),
todo("""
// TODO: an MLP with inputShape 30, hidden [16], numClasses 2.
const model: tf.LayersModel | undefined = undefined;
""", """
const model: tf.LayersModel | undefined = lepton.zoo.mlp({ inputShape: 30, hidden: [16], numClasses: 2 });
lepton.zoo.summary(model)
"""),
("code", """
check("Exercise 1", () => model !== undefined
  && model.inputs[0].shape[1] === 30
  && (model.outputs[0].shape[1] === 2)
  && model.layers.some((l) => (l.getConfig() as { units?: number }).units === 16),
  "lepton.zoo.mlp({ inputShape: 30, hidden: [16], numClasses: 2 })");
"""),
("markdown", """
## Exercise 2 · Train with validation and early stopping

Train `model` for up to `epochs` epochs with `lepton.fit`, passing the test split as `validationData`
and an early-stopping callback that waits 3 epochs without improvement of `val_loss`
(`lepton.train.earlyStopping({ patience: 3 })`) and puts the best weights back. Use `lr: 3e-3` and
`seed`. Keep the returned history.
"""),
todo("""
// TODO: const history = await lepton.fit(model, { x: xTrain, y: train.y }, { ... });
const stopper = lepton.train.earlyStopping({ patience: 3 });
const history: lepton.train.History | undefined = undefined;
""", """
const stopper = lepton.train.earlyStopping({ patience: 3 });
const history: lepton.train.History | undefined = model === undefined ? undefined
  : await lepton.fit(model, { x: xTrain, y: train.y }, { epochs, lr: 3e-3, seed, validationData: { x: xTest, y: test.y }, callbacks: [stopper] });
"""),
("code", """
check("Exercise 2", () => history !== undefined
  && history.epochs.length > 0
  && history.last.val_loss !== undefined
  && stopper.bestEpoch >= 0,
  "pass validationData: { x: xTest, y: test.y } and callbacks: [stopper] to lepton.fit, and await it.");
"""),
("markdown", """
## Exercise 3 · Accuracy on the test split

Predict the class probabilities of `xTest` with `model.predict(xTest)` and compute the accuracy against
`test.y` with `lepton.evaluate.accuracy(yTrue, probabilities)`. A good model gets above 95%.
"""),
todo("""
// TODO: the test accuracy, a number between 0 and 1.
const testAccuracy: number | undefined = undefined;
""", """
const testAccuracy: number | undefined = model === undefined ? undefined
  : lepton.evaluate.accuracy(test.y, model.predict(xTest) as tf.Tensor);
console.log(`test accuracy: ${(100 * (testAccuracy ?? 0)).toFixed(2)}%`);
"""),
("code", """
check("Exercise 3", () => {
  if (model === undefined || testAccuracy === undefined) return false;
  const predicted = (model.predict(xTest) as tf.Tensor).argMax(-1).dataSync();
  const expected = Array.from(predicted).filter((p, i) => p === test.labels[i]).length / test.length;
  return Math.abs(testAccuracy - expected) < 1e-9 && testAccuracy > 0.95;
}, "lepton.evaluate.accuracy(test.y, model.predict(xTest) as tf.Tensor); if it is below 95%, check exercise 2 (scaled inputs, lr 3e-3).");
"""),
("markdown", """
## Exercise 4 · Which class does the model miss more often?

Build the classification report (`lepton.evaluate.classificationReport(test.y, probabilities, { classNames: classes })`)
and look at the recall column. Set `worseRecall` to the name of the class with the lower recall.
"""),
todo("""
// TODO: show the report, then name the class with the lower recall ("malignant" or "benign").
const worseRecall: string | undefined = undefined;
""", """
const probs = model === undefined ? undefined : model.predict(xTest) as tf.Tensor;
const report = probs === undefined ? undefined : lepton.evaluate.classificationReport(test.y, probs, { classNames: classes });
const recalls = probs === undefined ? [] : lepton.evaluate.precisionRecallF1(test.y, probs).recall;
const worseRecall: string | undefined = recalls.length === 0 ? undefined : classes[recalls.indexOf(Math.min(...recalls))];
report
"""),
("code", """
check("Exercise 4", () => {
  if (model === undefined || worseRecall === undefined) return false;
  const r = lepton.evaluate.precisionRecallF1(test.y, model.predict(xTest) as tf.Tensor);
  return worseRecall === classes[r.labels[r.recall.indexOf(Math.min(...r.recall))]];
}, "the recall column of the report: recall = correctly found / all of that class.");
"""),
("code", """
console.log(`Score: ${score} / 4`);
"""),
("markdown", "Well done. The pipeline notebooks (`../01-preprocessing.ipynb` onwards) go further on each step."),
    ]


CELLS = build(exercise)
