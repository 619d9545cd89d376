CELLS = [
("markdown", """
# Lepton quickstart

The whole life of a model in ten cells: load data, preprocess, build, train, evaluate, plot, save and
serve it over REST. `lepton`, `tf` and `dfd` are already loaded; every cell is type-checked before it runs
(try `lepton.` and Tab for completion, Shift+Tab for documentation).
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const epochs = 15;
const seed = 42;
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
lepton.env()
"""),
("markdown", "## 1. Data\nBreast Cancer Wisconsin ships with the workbench (no download). The split is stratified and seeded."),
("code", """
const { train, test } = await lepton.datasets.load("breast-cancer", { seed });
lepton.datasets.list()
"""),
("code", """
// Standardise with statistics of the training split only (no leakage into the test split).
const { mean, variance } = tf.moments(train.x, 0);
const std = variance.sqrt().add(1e-7);
const xTrain = train.x.sub(mean).div(std);
const xTest = test.x.sub(mean).div(std);
console.log(`train ${xTrain.shape}, test ${xTest.shape}, classes: ${train.classes.join(", ")}`);
"""),
("markdown", "## 2. Model\nA small multi-layer perceptron from the model zoo."),
("code", """
const model = lepton.zoo.mlp({ inputShape: 30, hidden: [32, 16], numClasses: 2 });
lepton.zoo.summary(model)
"""),
("markdown", "## 3. Training\nOne progress bar and one chart, updated in place."),
("code", """
const history = await lepton.fit(model, { x: xTrain, y: train.y }, { epochs, batchSize: 32, lr: 3e-3, validationData: { x: xTest, y: test.y } });
"""),
("markdown", "## 4. Evaluation"),
("code", """
const probs = model.predict(xTest) as tf.Tensor;
const report = lepton.evaluate.classificationReport(test.labels, probs, { classNames: test.classes });
report
"""),
("code", """
lepton.evaluate.confusionMatrix(test.labels, probs, { classNames: test.classes })
"""),
("markdown", "## 5. Save and serve\nThe bundle keeps the class labels and metrics beside the tfjs model; the server speaks TF Serving's REST API."),
("code", """
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-quickstart-"));
const bundle = await lepton.save(model, modelsDir, { name: "breast-cancer", labels: test.classes,
  metrics: { accuracy: lepton.evaluate.accuracy(test.labels, probs) } });
const server = await lepton.serve(modelsDir);
const answer = await fetch(`${server.url}/v1/models/breast-cancer:predict`, {
  method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ instances: (xTest.slice([0, 0], [2, 30]) as tf.Tensor2D).arraySync() }),
});
const prediction = await answer.json();
await server.stop();
prediction
"""),
]
