import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exercise import CHECK_HELPER, exercise


def build(todo):
    return [
("markdown", """
# Workshop 1 · Data: look, split, scale

Three short exercises on the Breast Cancer Wisconsin data. Each exercise cell has a `// TODO`: replace
`undefined` with your code, run the cell, then run the **check** cell below it. A check prints ✅ when
your answer is right, or ❌ with a hint. Nothing here throws, so you can run the whole notebook at any
time. (The solved version is in `workshop/solutions/`; try first!)

`lepton`, `tf` and `dfd` are loaded; press Tab after `lepton.` for completion and Shift+Tab on a name
for its documentation.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const seed = 42;
""", {"tags": ["parameters"]}),
CHECK_HELPER,
("code", """
lepton.seed(seed);
const { train, test, classes } = await lepton.datasets.load("breast-cancer", { seed });
train
"""),
("markdown", """
## Exercise 1 · How many malignant tumours are in the training split?

The split above shows the class counts. Compute the number in code: `train.labels` holds one class
index per sample, and `classes` names them (`classes.indexOf("malignant")`).
"""),
todo("""
// TODO: the number of training samples labelled "malignant".
const malignantCount: number | undefined = undefined;
""", """
const malignantCount: number | undefined = Array.from(train.labels).filter((l) => l === classes.indexOf("malignant")).length;
// or: train.classCounts()[classes.indexOf("malignant")]
"""),
("code", """
check("Exercise 1", () => malignantCount === train.classCounts()[classes.indexOf("malignant")],
  "filter train.labels for the index of \\"malignant\\" and count, or use train.classCounts().");
"""),
("markdown", """
## Exercise 2 · Standardise without leaking the test split

Scale every feature to mean 0 and standard deviation 1 **using statistics of the training split only**,
and apply the same statistics to the test split. `tf.moments(train.x, 0)` gives the per-column `mean`
and `variance`; the standard deviation is `variance.sqrt()`.
"""),
todo("""
// TODO: xTrainScaled and xTestScaled, both scaled with the TRAINING mean and standard deviation.
const xTrainScaled: tf.Tensor2D | undefined = undefined;
const xTestScaled: tf.Tensor2D | undefined = undefined;
""", """
const { mean, variance } = tf.moments(train.x, 0);
const std = variance.sqrt();
const xTrainScaled: tf.Tensor2D | undefined = train.x.sub<tf.Tensor2D>(mean).div<tf.Tensor2D>(std);
const xTestScaled: tf.Tensor2D | undefined = test.x.sub<tf.Tensor2D>(mean).div<tf.Tensor2D>(std);
"""),
("code", """
check("Exercise 2", () => {
  if (!xTrainScaled || !xTestScaled) return false;
  const m = tf.moments(train.x, 0);
  const expected = test.x.sub(m.mean).div(m.variance.sqrt());
  const trainMean = Math.abs(xTrainScaled.mean().arraySync() as number);
  const testError = expected.sub(xTestScaled).abs().max().arraySync() as number;
  return trainMean < 1e-3 && testError < 1e-3;
}, "subtract the training mean and divide by the training standard deviation, for BOTH splits (not the test split's own statistics).");
"""),
("markdown", """
## Exercise 3 · A stratified split

Split the 455 training samples again, into 75% fit / 25% validation, keeping the share of malignant
cases the same in both parts. `lepton.data.trainTestSplit(n, { testSize, seed, labels })` returns the
indices of each part; passing `labels` makes it stratified.
"""),
todo("""
// TODO: the indices of the two parts.
const parts: { train: Int32Array; test: Int32Array } | undefined = undefined;
""", """
const parts: { train: Int32Array; test: Int32Array } | undefined = lepton.data.trainTestSplit(train.length, { testSize: 0.25, seed, labels: train.labels });
"""),
("code", """
const malignantShare = (idx: Int32Array) => Array.from(idx).filter((i) => classes[train.labels[i]] === "malignant").length / idx.length;
check("Exercise 3", () => parts !== undefined
  && parts.train.length + parts.test.length === train.length
  && Math.abs(parts.test.length - 0.25 * train.length) <= 1
  && Math.abs(malignantShare(parts.train) - malignantShare(parts.test)) < 0.01,
  "call lepton.data.trainTestSplit(train.length, { testSize: 0.25, seed, labels: train.labels }).");
"""),
("code", """
console.log(`Score: ${score} / 3`);
"""),
("markdown", "Next: `02-training.ipynb`, where these scaled features train a model."),
    ]


CELLS = build(exercise)
