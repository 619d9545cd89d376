/** Part `langid`: TextCNN language identification on UDHR sentences against franc, shipped as textcnn-udhr-langid. */
import * as tf from "@tensorflow/tfjs";
import { load as loadDataset } from "../../../src/data/datasets/index";
import * as zoo from "../../../src/zoo/index";
import { fit } from "../../../src/train/fit";
import { splitFingerprint } from "../../../src/zoo/split-fingerprint";
import { seed } from "../../../src/backend/index";
import { log } from "../command-line";
import { accuracy } from "../measure";
import { recordResult, savePretrained } from "../results-file";
import { SEED } from "../shipped-seed";

/** Character tokens: 0 = padding, 1 = unknown, 2.. = characters seen in training. */
function charVocabulary(texts: string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const ch of t.toLowerCase()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return [...counts.keys()].sort();
}

function encode(texts: string[], vocab: string[], length: number): tf.Tensor2D {
  const index = new Map(vocab.map((ch, i) => [ch, i + 2]));
  const out = new Int32Array(texts.length * length);
  texts.forEach((t, r) => {
    const chars = [...t.toLowerCase()].slice(0, length);
    chars.forEach((ch, c) => { out[r * length + c] = index.get(ch) ?? 1; });
  });
  return tf.tensor2d(out, [texts.length, length], "int32");
}

export async function langid(): Promise<void> {
  const ds = await loadDataset("udhr-langid", { seed: SEED });
  const vocab = charVocabulary(ds.train.texts);
  const length = 96;
  const xTrain = encode(ds.train.texts, vocab, length);
  const xTest = encode(ds.test.texts, vocab, length);
  log(`langid: ${ds.train.length} train / ${ds.test.length} test sentences, ${ds.classes.length} languages, ${vocab.length} characters`);
  seed(SEED);
  const options = { vocabSize: vocab.length + 2, sequenceLength: length, numClasses: ds.classes.length, embeddingDim: 32, filters: 64, kernelSizes: [1, 2, 3], dropout: 0.3 };
  const model = zoo.textCNN(options);
  await fit(model, { x: xTrain, y: ds.train.y }, { epochs: 30, batchSize: 32, lr: 3e-3, seed: SEED, verbose: false });
  const acc = accuracy(model, xTest, ds.test.y);
  const { franc } = (await import("franc")) as { franc: (text: string, opts?: { only?: string[]; minLength?: number }) => string };
  let francCorrect = 0;
  ds.test.texts.forEach((text, i) => {
    if (franc(text, { only: ds.classes, minLength: 1 }) === ds.classes[ds.test.labels[i]]) francCorrect++;
  });
  const francAcc = francCorrect / ds.test.length;
  log(`langid: TextCNN ${(acc * 100).toFixed(2)}% vs franc ${(francAcc * 100).toFixed(2)}% on ${ds.test.length} held-out sentences`);
  await savePretrained(model, {
    name: "textcnn-udhr-langid", architecture: "textCNN", options, dataset: "udhr-langid", split: "stratified 80/20 of sentences, seed 42",
    metrics: { accuracy: acc, francAccuracy: francAcc, testSamples: ds.test.length }, params: model.countParams(), labels: ds.classes,
    testSplitFingerprint: splitFingerprint(ds.test.labels, ds.test.texts),
    preprocessing: { tokens: "characters, lower-cased; 0 = padding, 1 = unknown, vocabulary[i] has id i + 2", sequenceLength: length, vocabulary: vocab },
    training: { seed: SEED, epochs: 30, batchSize: 32, lr: 3e-3, optimizer: "adam" },
  });
  recordResult("textcnn-udhr-langid", { accuracy: acc, franc: francAcc, met: acc >= francAcc, languages: ds.classes, testSamples: ds.test.length });
  tf.dispose([xTrain, xTest]);
}
