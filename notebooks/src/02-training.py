CELLS = [
("markdown", """
# 02 · Training: LeNet-5 against LeptonNet on MNIST

Two convolutional networks on the bundled MNIST digits: the classic **LeNet-5** (about 62k parameters)
and **LeptonNet**, the zoo's lightweight CNN (depthwise-separable blocks with 1×1 bottlenecks, under a
third of LeNet-5's parameters). Along the way: live progress and a chart updated in place, the learning-rate finder,
early stopping that restores the best weights, checkpoints, and resuming a run exactly where it stopped.

The defaults below train on 2,000 images for a few epochs so the notebook runs in a couple of minutes on
a laptop CPU. For the full result (LeNet-5 ≥ 97%, LeptonNet ≥ 97.5% on the 2,000 test digits), set
`trainSize = 8000` and `epochs = 12` (or run `npx lepton run notebooks/02-training.ipynb -p trainSize=8000 -p epochs=12`).
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const epochs = 3;
const seed = 42;
const trainSize = 2000;
const batchSize = 64;
""", {"tags": ["parameters"]}),
("code", """
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
lepton.seed(seed);
// A fresh folder for this notebook's runs (by default they go to ./runs/).
const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-02-training-"));
lepton.env()
"""),
("markdown", "## 1. Data\n10,000 digits split 8,000 / 2,000 (seeded, stratified); we train on the first `trainSize` training images."),
("code", """
const { train, test } = await lepton.datasets.load("mnist", { seed });
const xTrain = train.x.slice([0, 0, 0, 0], [trainSize, 28, 28, 1]);
const yTrain = train.y.slice([0], [trainSize]);
const data = { x: xTrain, y: yTrain };
const validation = { x: test.x, y: test.y };
lepton.plot.imageGrid({ images: xTrain.slice([0, 0, 0, 0], [16, 28, 28, 1]),
  captions: Array.from(train.labels.slice(0, 16), (l) => `label ${l}`), columns: 8, title: "The first training digits" })
"""),
("markdown", "## 2. Two architectures\nThe summaries list each layer's output shape, parameters and FLOPs."),
("code", """
const lenet = lepton.zoo.lenet5({ numClasses: 10 });
lepton.zoo.summary(lenet)
"""),
("code", """
const leptonNet = lepton.zoo.leptonNet({ numClasses: 10 });
lepton.zoo.summary(leptonNet)
"""),
("markdown", """
## 3. Find a learning rate

`lepton.lrFind` raises the rate exponentially over a few dozen batches and records the (smoothed)
loss; the suggestion is where the loss falls fastest, and the rate at the lowest loss is an upper bound.
The weights are restored afterwards. We use it to pick LeptonNet's peak rate for a one-cycle schedule:
about ten times below the rate at the minimum, where training is fast but not yet unstable.
"""),
("code", """
const found = await lepton.lrFind(leptonNet, data, { steps: 30, batchSize, startLr: 1e-4, endLr: 1, seed });
found
"""),
("markdown", """
## 4. Train both, with early stopping

The progress bar and the chart below each cell are updated in place (no flood of lines). Early stopping
watches `val_loss` and puts the best epoch's weights back at the end; the run is recorded under
`runsDir` (config, metrics per epoch, checkpoints).
"""),
("code", """
const lenetStop = lepton.train.earlyStopping({ patience: 2 });
const lenetStart = Date.now();
const lenetHistory = await lepton.fit(lenet, data, { epochs, batchSize, lr: 1e-3, seed, validationData: validation,
  callbacks: [lenetStop], run: "lenet5", runsDir });
const lenetSeconds = (Date.now() - lenetStart) / 1000;
"""),
("code", """
// One-cycle up to a tenth of the finder's minimum-loss rate (kept within [1e-3, 1e-2] for Adam).
const maxLr = Math.min(Math.max(found.minLossLr / 10, 1e-3), 1e-2);
console.log(`one-cycle peak rate: ${maxLr.toExponential(1)}`);
const leptonStop = lepton.train.earlyStopping({ patience: 2 });
const leptonStart = Date.now();
const leptonHistory = await lepton.fit(leptonNet, data, { epochs, batchSize, seed, validationData: validation,
  callbacks: [lepton.train.oneCycle({ maxLr }), leptonStop, lepton.train.modelCheckpoint()], run: "leptonnet", runsDir });
const leptonSeconds = (Date.now() - leptonStart) / 1000;
"""),
("markdown", "## 5. Compare"),
("code", """
function inferenceMs(model: tf.LayersModel): number {
  (model.predict(test.x.slice([0, 0, 0, 0], [8, 28, 28, 1])) as tf.Tensor).dispose();   // warm-up
  const t0 = performance.now();
  const out = model.predict(test.x) as tf.Tensor;
  out.dataSync();
  out.dispose();
  return performance.now() - t0;
}
const accuracyOf = (model: tf.LayersModel) => tf.tidy(() => lepton.evaluate.accuracy(test.y, model.predict(test.x) as tf.Tensor));
const rows = [
  { model: "LeNet-5", params: lenet.countParams(), accuracy: accuracyOf(lenet), bestEpoch: lenetStop.bestEpoch + 1, trainSeconds: lenetSeconds, inferMs: inferenceMs(lenet) },
  { model: "LeptonNet", params: leptonNet.countParams(), accuracy: accuracyOf(leptonNet), bestEpoch: leptonStop.bestEpoch + 1, trainSeconds: leptonSeconds, inferMs: inferenceMs(leptonNet) },
];
const pct = (v: unknown) => `${(100 * (v as number)).toFixed(2)}%`;
const fixed1 = (v: unknown) => (v as number).toFixed(1);
new lepton.evaluate.Table([
  { key: "model", title: "Model" }, { key: "params", title: "Parameters", format: (v) => (v as number).toLocaleString("en") },
  { key: "accuracy", title: "Test accuracy (2,000)", format: pct }, { key: "bestEpoch", title: "Best epoch" },
  { key: "trainSeconds", title: "Training s", format: fixed1 }, { key: "inferMs", title: "Inference ms (2,000)", format: fixed1 },
], rows, { title: `LeNet-5 vs LeptonNet, ${trainSize} training images, up to ${epochs} epochs`, sortable: true })
"""),
("code", """
lepton.plot.line({ y: { "LeNet-5 val_accuracy": lenetHistory.series("val_accuracy"), "LeptonNet val_accuracy": leptonHistory.series("val_accuracy") },
  title: "Validation accuracy per epoch", xLabel: "epoch", yLabel: "accuracy" })
"""),
("markdown", """
With a couple of thousand images and a few epochs the comparison is about training speed as much as
architecture. The zoo's pretrained weights were produced by `npm run zoo:train` with the full 8,000
training images; their recorded results on the same 2,000 test digits:
"""),
("code", """
new lepton.evaluate.Table([
  { key: "name", title: "Pretrained model" }, { key: "params", title: "Parameters", format: (v) => (v as number).toLocaleString("en") },
  { key: "accuracy", title: "Recorded test accuracy", format: pct }, { key: "epochs", title: "Epochs" }, { key: "schedule", title: "Schedule" },
], ["lenet5-mnist", "leptonnet-mnist"].map((name) => {
  const card = lepton.zoo.card(name);
  return { name, params: card.params, accuracy: card.metrics.accuracy, epochs: card.training.epochs, schedule: card.training.schedule };
}), { title: "Full-size training (zoo cards)" })
"""),
("markdown", """
## 6. Checkpoints and resume

Every epoch of a recorded run writes `checkpoints/last/` (weights, optimiser state, epoch, RNG state);
`modelCheckpoint()` also kept the best model in `checkpoints/best/`:
"""),
("code", """
const leptonRunDir = leptonHistory.runDir ?? "";
const listing = (dir: string, prefix = ""): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? listing(`${dir}/${e.name}`, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
console.log(listing(leptonRunDir).join("\\n"));
await lepton.data.readCSV(`${leptonRunDir}/metrics.csv`)
"""),
("markdown", """
Now the resume story. Imagine a run that stopped after its first epoch (a kernel restart, a closed
laptop). A **fresh** model object, given the same `run` name and `resume: true`, loads the last
checkpoint and trains only the missing epochs. We check it against a run that was never interrupted:
with the same seed, the results are identical.
"""),
("code", """
const resumeEpochs = 2;
const small = { x: xTrain.slice([0, 0, 0, 0], [Math.min(trainSize, 1000), 28, 28, 1]), y: yTrain.slice([0], [Math.min(trainSize, 1000)]) };
const quiet = { batchSize, lr: 1e-3, seed, validationData: validation, runsDir, verbose: false };
lepton.seed(seed);
const straight = await lepton.fit(lepton.zoo.lenet5({ numClasses: 10 }), small, { ...quiet, epochs: resumeEpochs, run: "straight" });
lepton.seed(seed);
await lepton.fit(lepton.zoo.lenet5({ numClasses: 10 }), small, { ...quiet, epochs: 1, run: "interrupted" });   // "stops" after epoch 1
const resumed = await lepton.fit(lepton.zoo.lenet5({ numClasses: 10 }), small, { ...quiet, epochs: resumeEpochs, run: "interrupted", resume: true });
new lepton.evaluate.Table([
  { key: "run", title: "Run" }, { key: "epochs", title: "Epochs in history" },
  { key: "loss", title: "Final loss", format: (v) => (v as number).toFixed(6) }, { key: "acc", title: "Final val_accuracy", format: pct },
], [
  { run: "uninterrupted", epochs: straight.epochs.length, loss: straight.last.loss, acc: straight.last.val_accuracy },
  { run: "1 epoch, then resumed", epochs: resumed.epochs.length, loss: resumed.last.loss, acc: resumed.last.val_accuracy },
], { title: "Resume continues exactly where the run stopped" })
"""),
("markdown", """
## 7. A teacher for the small model (distillation)

`distill` trains a model against a mix of its labels and a trained teacher's probabilities on the same
batches: `(1 - alpha) * labels + alpha * softmax(teacherLogits / temperature)`. Here the teacher is the
zoo's pretrained LeNet-5 (trained on all 8,000 images), the student a fresh LeptonNet trained on our
`trainSize` images, against the same student trained on the labels alone (same seed, same batches).
"""),
("code", """
const teacher = await lepton.zoo.load("lenet5-mnist");
const studentRun = async (distill?: { teacher: tf.LayersModel; alpha: number; temperature: number }) => {
  lepton.seed(seed);
  const student = lepton.zoo.leptonNet({ numClasses: 10 });
  await lepton.fit(student, data, { epochs, batchSize, seed, verbose: false, callbacks: [lepton.train.oneCycle({ maxLr })], distill });
  return { accuracy: accuracyOf(student), params: student.countParams() };
};
const plain = await studentRun();
// Temperature 1: the zoo's LeNet-5 was trained with label smoothing, whose probabilities are already soft.
const distilled = await studentRun({ teacher, alpha: 0.5, temperature: 1 });
new lepton.evaluate.Table([
  { key: "model", title: "Model" }, { key: "params", title: "Parameters", format: (v) => (v as number).toLocaleString("en") },
  { key: "accuracy", title: "Test accuracy (2,000)", format: pct },
], [
  { model: "LeNet-5 teacher (pretrained, 8,000 images)", params: teacher.countParams(), accuracy: accuracyOf(teacher) },
  { model: `LeptonNet, labels only (${trainSize.toLocaleString("en")} images)`, ...plain },
  { model: `LeptonNet, distilled from the teacher (${trainSize.toLocaleString("en")} images)`, ...distilled },
], { title: `Distillation: LeptonNet students, ${epochs} epochs` })
"""),
("markdown", """
Whether a teacher helps depends on the teacher, the temperature and how much the student sees; measure
it on held-out data, as here. With all 8,000 images and the zoo's recipe it did not improve LeptonNet
(`zoo/weights/README.md`, table of the selection rounds). Teachers trained with label smoothing want a
temperature near 1; sharper teachers, 2 to 4.
"""),
("markdown", """
**What to remember.** Find a rate, watch the validation curve, stop early and keep the best weights,
record runs so they can be resumed. Next: `03-evaluation` looks closely at what a model gets wrong.
"""),
]
