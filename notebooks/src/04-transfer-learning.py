CELLS = [
("markdown", """
# 04 · Transfer learning: from digits 0–4 to digits 5–9 with 50 labels each

Labels are expensive. Suppose we have plenty of labelled digits **0–4** but only **50 labelled examples
of each of 5–9** (250 images). Can features learned on the first five digits help with the other five?

1. Pretrain LeptonNet on digits 0–4.
2. Replace its head with a fresh 5-way classifier for 5–9, and fine-tune in two stages: the head alone,
   then all layers at a lower rate (`lepton.zoo.replaceHead`, `freeze`, `fineTune`).
3. Train the same architecture **from scratch** on the same 250 images for the same number of epochs.
4. Compare both on every test image of 5–9.

The pretrained model must not have seen 5–9, so we pretrain it here rather than take the zoo's
`leptonnet-mnist` (trained on all ten digits). The defaults pretrain briefly so the notebook runs in
about a minute; `npm run zoo:train` records the full-size version of this experiment (4 epochs on all
≈4,000 training images of 0–4). Raise `pretrainSize` and `pretrainEpochs` to get there.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const seed = 42;
const labelsPerClass = 50;
const pretrainSize = 2000;
const pretrainEpochs = 3;
const headEpochs = 10;
const epochs = 5;    // stage 2 of fine-tuning; the scratch model gets headEpochs + epochs
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
const { train, test } = await lepton.datasets.load("mnist", { seed });
// Indices of the examples we keep, then the images and (remapped) labels as tensors.
function subset(split: typeof train, keep: (label: number) => boolean, perClass = Infinity, limit = Infinity) {
  const taken = new Map<number, number>();
  const idx: number[] = [];
  split.labels.forEach((l, i) => {
    if (!keep(l) || idx.length >= limit || (taken.get(l) ?? 0) >= perClass) return;
    taken.set(l, (taken.get(l) ?? 0) + 1);
    idx.push(i);
  });
  const at = tf.tensor1d(idx, "int32");
  const x = tf.gather(split.x, at) as tf.Tensor4D;
  at.dispose();
  return { x, y: tf.tensor1d(idx.map((i) => split.labels[i] % 5), "int32"), n: idx.length };
}
const low = subset(train, (l) => l < 5, Infinity, pretrainSize);
const lowTest = subset(test, (l) => l < 5);
const few = subset(train, (l) => l >= 5, labelsPerClass);
const highTest = subset(test, (l) => l >= 5);
const highNames = ["5", "6", "7", "8", "9"];
new lepton.evaluate.Table([{ key: "set", title: "Set" }, { key: "digits", title: "Digits" }, { key: "n", title: "Images" }], [
  { set: "pretraining", digits: "0–4", n: low.n }, { set: "few labels (fine-tuning / scratch)", digits: "5–9", n: few.n },
  { set: "test", digits: "5–9", n: highTest.n },
], { title: "The data of the experiment" })
"""),
("code", """
lepton.plot.imageGrid({ images: few.x.slice([0, 0, 0, 0], [10, 28, 28, 1]), columns: 10,
  captions: Array.from(few.y.dataSync().slice(0, 10), (l) => highNames[l]), title: "Some of the 250 labelled images of 5–9" })
"""),
("markdown", "## 1. Pretrain on digits 0–4"),
("code", """
const base = lepton.zoo.leptonNet({ numClasses: 5 });
const pretraining = await lepton.fit(base, { x: low.x, y: low.y }, { epochs: pretrainEpochs, batchSize: 64, seed,
  callbacks: [lepton.train.oneCycle({ maxLr: 6e-3 })], validationData: { x: lowTest.x, y: lowTest.y } });
"""),
("markdown", """
## 2. A new head, then two-stage fine-tuning

`replaceHead` keeps every layer up to the features and adds a freshly initialised classifier. The
block names show what can be frozen or unfrozen as a unit.
"""),
("code", """
const tuned = lepton.zoo.replaceHead(base, { numClasses: 5 });
console.log("blocks:", lepton.zoo.blockNames(tuned).filter((b) => !b.includes("/")).join(", "));
lepton.zoo.summary(tuned)
"""),
("code", """
// Stage 1 trains only the head (everything else frozen); stage 2 unfreezes all layers at lr × lrRatio.
const stages = await lepton.zoo.fineTune(tuned, { x: few.x, y: few.y }, { headEpochs, epochs, lr: 1e-2, lrRatio: 0.3,
  batchSize: 25, seed, validationData: { x: highTest.x, y: highTest.y } });
"""),
("markdown", "## 3. The same architecture from scratch, on the same 250 images"),
("code", """
lepton.seed(seed);
const scratch = lepton.zoo.leptonNet({ numClasses: 5 });
const scratchHistory = await lepton.fit(scratch, { x: few.x, y: few.y }, { epochs: headEpochs + epochs, batchSize: 25, lr: 3e-3, seed,
  validationData: { x: highTest.x, y: highTest.y } });
"""),
("markdown", "## 4. Compare"),
("code", """
const accuracyOf = (m: tf.LayersModel) => tf.tidy(() => lepton.evaluate.accuracy(highTest.y, m.predict(highTest.x) as tf.Tensor));
const tunedAcc = accuracyOf(tuned), scratchAcc = accuracyOf(scratch);
new lepton.evaluate.Table([{ key: "model", title: "LeptonNet on digits 5–9" }, { key: "acc", title: `Test accuracy (${highTest.n} images)` }], [
  { model: `pretrained on 0–4, fine-tuned on ${few.n} labels`, acc: `${(100 * tunedAcc).toFixed(2)}%` },
  { model: `from scratch on ${few.n} labels`, acc: `${(100 * scratchAcc).toFixed(2)}%` },
], { title: tunedAcc > scratchAcc ? "Transfer wins" : "Transfer did not win this time: pretrain longer (see the parameters)" })
"""),
("code", """
const tunedCurve = [...stages.head.series("val_accuracy"), ...stages.all.series("val_accuracy")];
lepton.plot.line({ y: { "fine-tuned (head, then all)": tunedCurve, "from scratch": scratchHistory.series("val_accuracy") },
  title: "Test accuracy on 5–9 per epoch", xLabel: "epoch", yLabel: "accuracy" })
"""),
("code", """
lepton.evaluate.confusionMatrix(highTest.y, tuned.predict(highTest.x) as tf.Tensor, { classNames: highNames })
"""),
("markdown", """
With only 250 labels, either model's final score moves by a few points with the seed and the number of
epochs (look at how the curves wobble), so read the gap rather than the last digit. The full-size run
recorded by `npm run zoo:train` (pretraining on all ≈4,000 images of 0–4) measured 87.9% fine-tuned
against 86.3% from scratch on the same test images.

**What to remember.** Features learned on related data carry over: with few labels, a new head on a
pretrained body, trained head-first and then end to end at a lower rate, starts far ahead of random
weights. Next: `05-multilingual-text`.
"""),
]
