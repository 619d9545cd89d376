CELLS = [
("markdown", """
# 05 · Multilingual text: which language is this?

Language identification on sentences of the **Universal Declaration of Human Rights** in twelve
languages and seven scripts (Arabic, Chinese, German, Greek, English, French, Hindi, Japanese, Korean,
Russian, Spanish, Turkish). We train two of the zoo's text models on characters — a small
**Transformer encoder** (multi-head self-attention) and a **TextCNN** — and compare them with
[`franc`](https://github.com/wooorm/franc), the widely used n-gram language detector, on the same
held-out sentences. Then we make the task harder: only the first few characters of each sentence.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const epochs = 8;             // TextCNN
const transformerEpochs = 3;  // the Transformer is much slower per epoch on a CPU (attention over every pair of characters)
const seed = 42;
const sequenceLength = 48;   // characters per sentence fed to the models (longer ones are cut)
const snippetLength = 12;    // the "hard" test: only this many characters
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
const { train, test, classes } = await lepton.datasets.load("udhr-langid", { seed });
test
"""),
("code", """
// One training sentence per language.
new lepton.evaluate.Table([{ key: "lang", title: "Language" }, { key: "text", title: "Example (first 70 characters)" }],
  classes.map((lang, c) => ({ lang, text: train.texts[train.labels.indexOf(c)].slice(0, 70) })), { title: "UDHR sentences" })
"""),
("markdown", """
## 1. Characters as tokens

A character tokeniser over grapheme clusters (so a Hindi syllable or an emoji stays one token),
lower-cased, with the vocabulary learned from the training sentences only. Id 0 is padding and id 1
stands for characters never seen in training.
"""),
("code", """
const tok = new lepton.data.text.CharTokenizer("grapheme", true).fit(train.texts);
const encode = (texts: string[]) => tok.encodeBatch(texts, { length: sequenceLength });
const xTrain = encode(train.texts), xTest = encode(test.texts);
console.log(`vocabulary: ${tok.vocabulary.size} tokens; ${train.length} training and ${test.length} test sentences`);
console.log("first sentence as ids:", Array.from(xTrain.slice([0, 0], [1, 24]).dataSync()).join(" "));
"""),
("markdown", "## 2. A Transformer encoder\nOne encoder layer, four attention heads, 32-wide: small enough to train in about a minute on a CPU. Raise `transformerEpochs` (and `sequenceLength`) for more."),
("code", """
const transformer = lepton.zoo.transformerEncoder({ vocabSize: tok.vocabulary.size, sequenceLength, numClasses: classes.length,
  dModel: 32, numHeads: 4, numLayers: 1, dropout: 0.1 });
lepton.zoo.summary(transformer)
"""),
("code", """
const transformerHistory = await lepton.fit(transformer, { x: xTrain, y: train.y }, { epochs: transformerEpochs, batchSize: 32, lr: 3e-3, seed,
  validationData: { x: xTest, y: test.y } });
"""),
("markdown", "## 3. A TextCNN\nParallel 1-D convolutions over character embeddings (widths 1–3: characters, bigrams, trigrams), max-pooled."),
("code", """
const textCnn = lepton.zoo.textCNN({ vocabSize: tok.vocabulary.size, sequenceLength, numClasses: classes.length,
  embeddingDim: 32, filters: 64, kernelSizes: [1, 2, 3], dropout: 0.3 });
const cnnHistory = await lepton.fit(textCnn, { x: xTrain, y: train.y }, { epochs, batchSize: 32, lr: 3e-3, seed,
  validationData: { x: xTest, y: test.y } });
"""),
("markdown", """
## 4. `franc`, on the same sentences

`franc` is an ES module; a cell can import it like any package. We restrict it to our twelve languages
(its `only` option) so that it is not penalised for guessing a thirteenth.
"""),
("code", """
import { franc } from "franc";
const francPredict = (texts: string[]) => texts.map((t) => Math.max(0, classes.indexOf(franc(t, { only: classes, minLength: 1 }))));
const modelPredict = (model: tf.LayersModel, texts: string[]) => tf.tidy(() => {
  const p = model.predict(encode(texts)) as tf.Tensor;
  return Array.from(p.argMax(-1).dataSync());
});
const truth = Array.from(test.labels);
const snippets = test.texts.map((t) => Array.from(new Intl.Segmenter().segment(t), (s) => s.segment).slice(0, snippetLength).join(""));
// The zoo's TextCNN, trained for 30 epochs by `npm run zoo:train`; its card carries its character vocabulary.
const zooCard = lepton.zoo.card("textcnn-udhr-langid");
const zooModel = await lepton.zoo.load("textcnn-udhr-langid");
const zooVocab = new Map((zooCard.preprocessing?.vocabulary as string[]).map((ch, i) => [ch, i + 2]));
const zooLength = zooCard.preprocessing?.sequenceLength as number;
const zooPredict = (texts: string[]) => tf.tidy(() => {
  const ids = texts.map((t) => Array.from({ length: zooLength }, (_, i) => { const ch = [...t.toLowerCase()][i]; return ch === undefined ? 0 : zooVocab.get(ch) ?? 1; }));
  const p = zooModel.predict(tf.tensor2d(ids, [texts.length, zooLength], "int32")) as tf.Tensor;
  return Array.from(p.argMax(-1).dataSync()).map((k) => classes.indexOf(zooCard.labels?.[k] ?? ""));
});
const contenders: Record<string, (texts: string[]) => number[]> = {
  [`Transformer (${transformerEpochs} epochs)`]: (t) => modelPredict(transformer, t), [`TextCNN (${epochs} epochs)`]: (t) => modelPredict(textCnn, t),
  "TextCNN (zoo, 30 epochs)": zooPredict, "franc": francPredict,
};
const scores = Object.entries(contenders).map(([name, predict]) => ({
  name, full: lepton.evaluate.accuracy(truth, predict(test.texts)), short: lepton.evaluate.accuracy(truth, predict(snippets)),
}));
const pct = (v: unknown) => `${(100 * (v as number)).toFixed(1)}%`;
new lepton.evaluate.Table([{ key: "name", title: "Identifier" }, { key: "full", title: "Whole sentences", format: pct },
  { key: "short", title: `First ${snippetLength} characters`, format: pct }], scores,
  { title: `Accuracy on ${test.length} held-out sentences, ${classes.length} languages` })
"""),
("code", """
lepton.plot.bar({ x: scores.map((s) => s.name), y: { "whole sentences": scores.map((s) => s.full), [`first ${snippetLength} characters`]: scores.map((s) => s.short) },
  title: "Language identification accuracy", yLabel: "accuracy" })
"""),
("markdown", "Where do the short snippets go wrong? The Transformer's confusions:"),
("code", """
lepton.evaluate.confusionMatrix(truth, modelPredict(transformer, snippets), { classNames: classes, numClasses: classes.length })
"""),
("code", """
// Try your own sentence.
const mine = ["Alle Menschen sind frei und gleich an Würde und Rechten geboren.", "人人生而自由，在尊严和权利上一律平等。", "Todo individuo tiene derecho a la vida."];
new lepton.evaluate.Table([{ key: "text", title: "Text" }, { key: "transformer", title: "Transformer" }, { key: "franc", title: "franc" }],
  mine.map((text, i) => ({ text, transformer: classes[modelPredict(transformer, mine)[i]], franc: classes[francPredict(mine)[i]] })))
"""),
("markdown", """
**What to remember.** Characters are a good unit for language identification across scripts. Models
trained here for a minute come within a few points of `franc`, a dedicated library built from far more
text; the zoo's TextCNN, trained longer on the same sentences, matches it on whole sentences. Short
snippets show where each approach is fragile (German, French and Spanish share many short words). Next: `06-compression-deployment`.
"""),
]
