import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { LeptonError } from "../../src/i18n/index";
import { blobs, maxDiff, trainable, twins } from "./helpers";

const small = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });
const code = (c: string) => (e: unknown) => e instanceof LeptonError && e.code === c;

/** A teacher trained a little on the same problem (so its probabilities are not uniform). */
async function trainedTeacher(seedData = 3): Promise<tf.LayersModel> {
  const teacher = zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [16] });
  await fit(teacher, blobs(64, 4, seedData), { epochs: 3, batchSize: 16, lr: 0.05, verbose: false });
  return teacher;
}

/** The distillation targets computed by hand in float64 from the teachers' probabilities. */
function handTargets(teachers: tf.LayersModel[], x: tf.Tensor, labels: ArrayLike<number>, alpha: number, temperature: number, smoothing = 0): tf.Tensor2D {
  const probs = teachers.map((t) => (t.predict(x) as tf.Tensor).arraySync() as number[][]);
  const rows = Array.from({ length: labels.length }, (_, i) => {
    const soft = [0, 0];
    for (const p of probs) {
      const powered = p[i].map((v) => Math.pow(v, 1 / temperature));
      const sum = powered.reduce((a, b) => a + b, 0);
      powered.forEach((v, k) => { soft[k] += v / sum / probs.length; });
    }
    return soft.map((s, k) => (1 - alpha) * ((k === labels[i] ? 1 - smoothing : 0) + smoothing / 2) + alpha * s);
  });
  return tf.tensor2d(rows);
}

describe("fit's distill (knowledge distillation)", function () {
  this.timeout(60000);

  it("trains against (1 - alpha) * labels + alpha * softmax(teacher logits / T): the same weights as those targets given by hand", async () => {
    const data = blobs(32);
    const teacher = await trainedTeacher();
    const targets = handTargets([teacher], data.x, data.y.dataSync(), 0.6, 3);
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 2, batchSize: 8, lr: 0.05, distill: { teacher, alpha: 0.6, temperature: 3 }, verbose: false });
    await fit(b, { x: data.x, y: targets }, { epochs: 2, batchSize: 8, lr: 0.05, loss: "categoricalCrossentropy", verbose: false });
    const d = maxDiff(trainable(a), trainable(b));
    assert.ok(d < 1e-5, `differs from training on the hand-made targets by ${d}`);
  });

  it("takes one-hot labels as well as class ids", async () => {
    const data = blobs(24);
    const teacher = await trainedTeacher();
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 2, batchSize: 8, lr: 0.05, distill: { teacher, alpha: 0.4 }, verbose: false });
    await fit(b, { x: data.x, y: tf.oneHot(data.y, 2) }, { epochs: 2, batchSize: 8, lr: 0.05, distill: { teacher, alpha: 0.4 }, verbose: false });
    const d = maxDiff(trainable(a), trainable(b));
    assert.ok(d < 1e-6, `one-hot and class-id labels differ by ${d}`);
  });

  it("averages several teachers and folds label smoothing into the labels' share", async () => {
    const data = blobs(24);
    const teachers = [await trainedTeacher(3), await trainedTeacher(5)];
    const targets = handTargets(teachers, data.x, data.y.dataSync(), 0.5, 2, 0.2);
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 2, batchSize: 8, lr: 0.05, labelSmoothing: 0.2, distill: { teacher: teachers }, verbose: false });
    await fit(b, { x: data.x, y: targets }, { epochs: 2, batchSize: 8, lr: 0.05, loss: "categoricalCrossentropy", verbose: false });
    const d = maxDiff(trainable(a), trainable(b));
    assert.ok(d < 1e-5, `differs by ${d}`);
  });

  it("with alpha 0 trains as without a teacher; the teacher is never changed; no tensors leak", async () => {
    const data = blobs(32);
    const teacher = await trainedTeacher();
    const before = teacher.getWeights().map((w) => Array.from(w.dataSync()));
    const [a, b] = twins(small);
    const tensors = tf.memory().numTensors;
    await fit(a, data, { epochs: 2, batchSize: 8, lr: 0.05, distill: { teacher, alpha: 0 }, verbose: false });
    assert.equal(tf.memory().numTensors, tensors, "tensors left behind by a distilled fit");
    await fit(b, data, { epochs: 2, batchSize: 8, lr: 0.05, verbose: false });
    assert.ok(maxDiff(trainable(a), trainable(b)) < 1e-5);
    assert.ok(maxDiff(before, teacher.getWeights().map((w) => w.dataSync())) === 0, "the teacher's weights changed");
  });

  it("moves the student towards the teacher: alpha 1 reproduces the teacher's predictions on the training data", async () => {
    const data = blobs(64);
    const teacher = await trainedTeacher();
    const student = small();
    await fit(student, data, { epochs: 30, batchSize: 16, lr: 0.05, distill: { teacher, alpha: 1, temperature: 1 }, verbose: false });
    const agree = tf.tidy(() => tf.mean(tf.equal(tf.argMax(student.predict(data.x) as tf.Tensor, -1), tf.argMax(teacher.predict(data.x) as tf.Tensor, -1)).toFloat()).dataSync()[0]);
    assert.ok(agree >= 0.95, `student agrees with the teacher on ${agree * 100}% of the data`);
  });

  it("records the teachers and options in the run's config.json", async () => {
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-distill-"));
    try {
      const teacher = await trainedTeacher();
      await fit(small(), blobs(16), { epochs: 1, batchSize: 8, distill: { teacher, alpha: 0.3 }, run: "kd", runsDir: runs, verbose: false });
      const config = JSON.parse(fs.readFileSync(path.join(runs, "kd", "config.json"), "utf8"));
      assert.deepEqual(config.distill, { alpha: 0.3, temperature: 2, teachers: [{ name: teacher.name, params: teacher.countParams() }] });
    } finally {
      fs.rmSync(runs, { recursive: true, force: true });
    }
  });

  it("bad options and mismatched teachers get clear errors before training", async () => {
    const data = blobs(8);
    const teacher = await trainedTeacher();
    const reject = (distill: unknown, c: string, extra: object = {}, student = small(), d: { x: tf.Tensor; y: tf.Tensor } = data) =>
      assert.rejects(fit(student, d, { epochs: 1, verbose: false, distill: distill as never, ...extra }), code(c));
    await reject({ teacher, alpha: 1.5 }, "train:distillBadAlpha");
    await reject({ teacher, temperature: 0 }, "train:distillBadTemperature");
    await reject({ teacher: [] }, "train:distillNoTeacher");
    await reject({ teacher: undefined }, "train:distillNoTeacher");
    const student = small();
    await reject({ teacher: student }, "train:distillSelf", {}, student);
    await reject({ teacher: zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [4] }) }, "train:distillClasses");
    await reject({ teacher: zoo.mlp({ inputShape: 5, numClasses: 2, hidden: [4] }) }, "train:distillInput");
    const linear = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })] });
    await reject({ teacher: linear }, "train:distillTeacherNotSoftmax");
    const regression = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
    await reject({ teacher }, "train:distillStudentNotSoftmax", { loss: "meanSquaredError" }, regression, { x: data.x, y: tf.cast(data.y, "float32") });
    const gone = await trainedTeacher();
    gone.dispose();
    await reject({ teacher: gone }, "train:modelDisposed");
    await reject({ teacher }, "train:badLabelSmoothing", { labelSmoothing: 2 });
    await reject({ teacher }, "train:distillLoss", { loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(y, p) as tf.Scalar });
    const msg = await fit(small(), data, { epochs: 1, verbose: false, distill: { teacher: zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [4] }) } }).catch((e: Error) => e.message);
    assert.match(String(msg), /3 classes.*has 2/);
  });
});
