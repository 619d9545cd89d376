CELLS = [
("markdown", """
# 01 · Preprocessing without leakage: Breast Cancer Wisconsin

Before a model sees any data we look at it, clean it, split it and scale it. The one rule that runs
through this notebook: **anything learned from data (a mean, a standard deviation, a median) is learned
from the training split only**, then applied unchanged to the test split and to whatever the deployed
model receives later. Break it and the test score flatters the model.

The steps: inspect → clean (with a report of every change) → stratified split → a `Pipeline` fitted on
the training split → train a small model → save the model *with* its preprocessing → serve raw rows.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const epochs = 40;
const seed = 42;
const testSize = 0.2;
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
lepton.datasets.info("breast-cancer")
"""),
("markdown", """
## 1. Inspect

The bundled data set comes as seeded splits; for the inspection we put all 569 rows back into one
`lepton.data.DataFrame` (30 numeric features and the diagnosis), which renders as a table.
"""),
("code", """
const raw = await lepton.datasets.load("breast-cancer", { seed });
const featureNames = raw.train.featureNames ?? [];
const parts = [raw.train, raw.test];
const columns: Record<string, Array<number | string | null>> = {};
featureNames.forEach((name, j) => {
  columns[name] = parts.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.features[i * featureNames.length + j]));
});
columns["diagnosis"] = parts.flatMap((p) => Array.from(p.labels, (l) => p.classes[l]));
const full = lepton.data.DataFrame.fromColumns(columns);
console.log(`shape: ${full.shape.join(" × ")}`);
full.head(5)
"""),
("code", """
// Summary statistics of a few columns: note the very different scales (area in the hundreds, smoothness near 0.1).
full.select(["mean radius", "mean texture", "mean area", "mean smoothness", "worst concavity"]).describe()
"""),
("code", """
const diagnosis = full.values("diagnosis") as string[];
const classNames = raw.classes;
lepton.plot.bar({ x: classNames, y: classNames.map((c) => diagnosis.filter((d) => d === c).length),
  title: "Class balance: about 37% malignant", yLabel: "samples" })
"""),
("code", """
// One feature per class: "worst radius" separates the classes well on its own.
const worstRadius = full.values("worst radius") as number[];
lepton.plot.histogram({
  values: Object.fromEntries(classNames.map((c) => [c, worstRadius.filter((_, i) => diagnosis[i] === c)])),
  bins: 30, title: "worst radius by diagnosis", xLabel: "worst radius", yLabel: "samples",
})
"""),
("markdown", """
## 2. Clean, with a report

The published data set has no missing values. Real exports rarely look like that, so we simulate a
messy one: a few blanked cells and a few rows exported twice. `lepton.data.clean` fixes them and
reports each change; nothing changes silently.

We **drop** the incomplete rows rather than fill them: a median fill computed now would use the test
rows' values (leakage). Statistics-based fixes belong in the pipeline fitted after the split.
"""),
("code", """
const messyColumns: Record<string, Array<number | string | null>> = {};
for (const name of full.columns) messyColumns[name] = [...full.values(name)] as Array<number | string | null>;
for (const i of [3, 50, 120, 301]) messyColumns["mean texture"][i] = null;   // blanked cells
messyColumns["worst area"][77] = null;
const repeated = [10, 11, 200];                                             // exported twice
const messy = lepton.data.DataFrame.fromColumns(messyColumns).take([...Array.from({ length: full.length }, (_, i) => i), ...repeated]);
console.log("missing per column:", Object.entries(messy.missingCounts()).filter(([, c]) => c > 0));
const { frame: cleaned, report } = lepton.data.clean(messy, { missing: { "*": "drop" }, dropDuplicates: true });
report
"""),
("markdown", """
## 3. A stratified split

`trainTestSplit` with the labels keeps each class's share the same in both parts (seeded, so the same
seed always gives the same split).
"""),
("code", """
const { labels, classes } = cleaned.labels("diagnosis");
const split = lepton.data.trainTestSplit(cleaned.length, { testSize, seed, labels, stratify: true });
const trainFrame = cleaned.take(split.train);
const testFrame = cleaned.take(split.test);
const share = (idx: Int32Array, c: number) => Array.from(idx).filter((i) => labels[i] === c).length / idx.length;
lepton.data.DataFrame.fromColumns({
  split: ["train", "test"],
  rows: [split.train.length, split.test.length],
  ...Object.fromEntries(classes.map((c, k) => [`${c} share`, [share(split.train, k), share(split.test, k)].map((v) => Number(v.toFixed(3)))])),
})
"""),
("markdown", """
## 4. A leakage-free pipeline

A `Pipeline` of fitted transforms: here a `StandardScaler` over the 30 features. It is **fitted on the
training frame only**; the test frame is transformed with the training means and standard deviations.
That is why the scaled test columns have means close to, but not exactly, 0: the test rows did not
influence the scaling.
"""),
("code", """
const prep = new lepton.data.Pipeline([new lepton.data.StandardScaler(featureNames)]);
prep.fit(trainFrame);
const trainScaled = prep.transform(trainFrame);
const testScaled = prep.transform(testFrame);
const meanOf = (df: lepton.data.DataFrame, name: string) => { const v = df.values(name) as number[]; return v.reduce((a, b) => a + b, 0) / v.length; };
lepton.plot.bar({
  x: featureNames.slice(0, 10),
  y: { train: featureNames.slice(0, 10).map((n) => meanOf(trainScaled, n)), test: featureNames.slice(0, 10).map((n) => meanOf(testScaled, n)) },
  title: "Mean of each scaled feature: exactly 0 on train, near 0 on test", yLabel: "mean after scaling",
})
"""),
("markdown", "## 5. Train a small model on the scaled features"),
("code", """
const xTrain = trainScaled.toTensor(featureNames);
const xTest = testScaled.toTensor(featureNames);
const yTrain = tf.tensor1d(Array.from(split.train, (i) => labels[i]), "int32");
const yTest = Array.from(split.test, (i) => labels[i]);
const model = lepton.zoo.mlp({ inputShape: featureNames.length, hidden: [16], numClasses: 2 });
const history = await lepton.fit(model, { x: xTrain, y: yTrain }, { epochs, batchSize: 32, lr: 3e-3, seed,
  validationData: { x: xTest, y: tf.tensor1d(yTest, "int32") } });
"""),
("code", """
const probs = model.predict(xTest) as tf.Tensor;
lepton.evaluate.classificationReport(yTest, probs, { classNames: classes })
"""),
("markdown", """
## 6. Save for deployment, preprocessing included

`lepton.save` stores the fitted pipeline as JSON beside the model, with the raw feature names and the
class labels. The loaded bundle (and the REST server) then takes **raw, unscaled rows** keyed by feature
name and applies exactly the training-split scaling: no second copy of the preprocessing to drift.
"""),
("code", """
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
const saved = await lepton.save(model, fs.mkdtempSync(path.join(os.tmpdir(), "lepton-01-models-")), { name: "breast-cancer", preprocessing: prep,
  features: featureNames, labels: classes, seed, metrics: { accuracy: lepton.evaluate.accuracy(yTest, probs) } });
const bundle = await lepton.load(saved.dir);
const rawRows = testFrame.head(5).toRecords().map((r) => Object.fromEntries(featureNames.map((f) => [f, r[f]])));
const predictions = await bundle.predict(rawRows);
// A classifier's prediction is {label, probabilities}; regressors give numbers, hence the check.
const asClass = (p: lepton.deploy.Prediction) => (typeof p === "object" && !Array.isArray(p) ? p : { label: String(p), probabilities: [] });
lepton.data.DataFrame.fromRecords(predictions.map(asClass).map((p, i) => ({
  "true diagnosis": String(testFrame.row(i)["diagnosis"]), predicted: p.label,
  "P(malignant)": Number((p.probabilities[classes.indexOf("malignant")] ?? NaN).toFixed(3)),
})))
"""),
("markdown", """
**What to remember.** Inspect first; clean with a report; split before you learn any statistic; keep
the fitted preprocessing with the model. Next: `02-training` trains convolutional networks on MNIST.
"""),
]
