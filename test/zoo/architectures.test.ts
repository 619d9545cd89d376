import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";

describe("zoo architectures", () => {
  before(async () => { await tf.setBackend("cpu"); });

  const cases: [string, () => tf.LayersModel, () => tf.Tensor, number[]][] = [
    ["logisticRegression", () => zoo.logisticRegression({ inputShape: 30, numClasses: 3 }), () => tf.randomNormal([4, 30]), [4, 3]],
    ["logisticRegression binary", () => zoo.logisticRegression({ inputShape: 30, numClasses: 2, binary: true }), () => tf.randomNormal([4, 30]), [4, 1]],
    ["mlp", () => zoo.mlp({ inputShape: [8, 8], numClasses: 10, hidden: [16, 8], dropout: 0.1, batchNorm: true }), () => tf.randomNormal([3, 8, 8]), [3, 10]],
    ["lenet5", () => zoo.lenet5(), () => tf.randomNormal([2, 28, 28, 1]), [2, 10]],
    ["leptonNet", () => zoo.leptonNet({ numClasses: 5 }), () => tf.randomNormal([2, 28, 28, 1]), [2, 5]],
    ["leptonNet shared", () => zoo.leptonNet({ numClasses: 10, shareWeights: true }), () => tf.randomNormal([2, 28, 28, 1]), [2, 10]],
    ["leptonNet pooled, 5x5 blocks, colour", () => zoo.leptonNet({ inputShape: [32, 32, 3], numClasses: 4, pooling: "average", kernelSize: 5, stemKernel: 3 }), () => tf.randomNormal([2, 32, 32, 3]), [2, 4]],
    ["mobileNetTiny", () => zoo.mobileNetTiny({ inputShape: [32, 32, 3], alpha: 0.25, numClasses: 4 }), () => tf.randomNormal([2, 32, 32, 3]), [2, 4]],
    ["textCNN", () => zoo.textCNN({ vocabSize: 50, sequenceLength: 12, numClasses: 3 }), () => tf.randomUniform([2, 12], 0, 50, "int32"), [2, 3]],
    ["rnnClassifier gru", () => zoo.rnnClassifier({ vocabSize: 50, sequenceLength: 10, numClasses: 3, units: 8 }), () => tf.randomUniform([2, 10], 0, 50, "int32"), [2, 3]],
    ["rnnClassifier bi-lstm", () => zoo.rnnClassifier({ vocabSize: 50, sequenceLength: 10, numClasses: 2, cell: "lstm", bidirectional: true, units: 8 }), () => tf.randomUniform([2, 10], 0, 50, "int32"), [2, 2]],
    ["transformerEncoder", () => zoo.transformerEncoder({ vocabSize: 40, sequenceLength: 9, numClasses: 4, dModel: 16, numHeads: 2, numLayers: 1 }), () => tf.randomUniform([3, 9], 0, 40, "int32"), [3, 4]],
    ["autoencoder", () => zoo.autoencoder({ inputShape: [6, 6, 1], latentDim: 4, hidden: [12] }), () => tf.randomUniform([2, 6, 6, 1]), [2, 6, 6, 1]],
  ];
  for (const [name, build, input, shape] of cases) {
    it(`${name} builds and predicts shape [${shape}]`, () => {
      const model = build();
      const x = input();
      const y = model.predict(x) as tf.Tensor;
      assert.deepEqual(y.shape, shape);
      assert.ok(Number.isFinite(y.sum().dataSync()[0]));
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it("classifier outputs are probability distributions", () => {
    const model = zoo.leptonNet({ numClasses: 7 });
    const y = model.predict(tf.randomNormal([3, 28, 28, 1])) as tf.Tensor;
    const sums = Array.from(y.sum(1).dataSync());
    sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-4, `row sum ${s}`));
  });

  it("LeptonNet has fewer parameters than LeNet-5, and weight sharing reduces them further", () => {
    const lenet = zoo.lenet5().countParams();
    const ln = zoo.leptonNet().countParams();
    const shared = zoo.leptonNet({ shareWeights: true }).countParams();
    assert.equal(lenet, 61706);
    assert.ok(ln < lenet, `${ln} < ${lenet}`);
    assert.ok(shared < ln, `${shared} < ${ln}`);
  });

  it("LeptonNet's headUnits puts a hidden ReLU dense layer before the classifier", () => {
    const plain = zoo.leptonNet({ dropout: 0 });
    const hidden = zoo.leptonNet({ dropout: 0, headUnits: 24 });
    const layer = hidden.getLayer("hidden/dense");
    assert.equal((layer.getConfig() as { activation: string }).activation, "relu");
    assert.deepEqual(layer.outputShape, [null, 24]);
    // flatten (7 * 7 * 32) -> 24 -> 10 instead of flatten -> 10
    assert.equal(hidden.countParams() - plain.countParams(), 1568 * 24 + 24 + 24 * 10 + 10 - (1568 * 10 + 10));
    assert.deepEqual((hidden.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape, [2, 10]);
  });

  it("LeptonNet's kernelSize and transitionKernel set the depthwise kernels they name", () => {
    const model = zoo.leptonNet({ kernelSize: 7, transitionKernel: 5 });
    const kernel = (name: string) => model.getLayer(name).getWeights()[0].shape;
    assert.deepEqual(kernel("stage1/transition/dw"), [5, 5, 16, 1]);
    assert.deepEqual(kernel("stage1/block1/dw"), [7, 7, 16, 1]);
    assert.deepEqual(kernel("stage1/block2/dw"), [7, 7, 16, 1]);
    // Defaults: a 3x3 transition, 5x5 blocks.
    assert.deepEqual(zoo.leptonNet().getLayer("stage1/transition/dw").getWeights()[0].shape, [3, 3, 16, 1]);
    assert.deepEqual((model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape, [2, 10]);
  });

  it("LeptonNet's downsample 'maxPool' halves a strided stage by 2x2 max pooling after an unstrided depthwise convolution", () => {
    const pooled = zoo.leptonNet({ downsample: "maxPool", stages: [{ channels: 16, blocks: 0, stride: 1 }, { channels: 32, blocks: 1, stride: 2 }] });
    // The stride-1 stage is not pooled; the stride-2 one runs its depthwise conv at 14x14, pools to 7x7.
    assert.throws(() => pooled.getLayer("stage1/transition/pool"));
    assert.deepEqual(pooled.getLayer("stage2/transition/dw").outputShape, [null, 14, 14, 16]);
    const pool = pooled.getLayer("stage2/transition/pool");
    assert.equal(pool.getClassName(), "MaxPooling2D");
    assert.deepEqual(pool.outputShape, [null, 7, 7, 16]);
    // Pooling has no weights: the same parameters as the strided network.
    const strided = zoo.leptonNet({ stages: [{ channels: 16, blocks: 0, stride: 1 }, { channels: 32, blocks: 1, stride: 2 }] });
    assert.equal(pooled.countParams(), strided.countParams());
    assert.deepEqual(strided.getLayer("stage2/transition/dw").outputShape, [null, 7, 7, 16]);
    // Each 2x2 window's maximum: a pixel moved within its window leaves the pooled map unchanged.
    const upTo = tf.model({ inputs: pooled.inputs, outputs: pool.output as tf.SymbolicTensor });
    const inWindow = tf.tidy(() => {
      const a = tf.buffer([1, 14, 14, 16]); a.set(5, 0, 4, 4, 3);
      const b = tf.buffer([1, 14, 14, 16]); b.set(5, 0, 5, 5, 3);
      const onPool = (t: tf.Tensor) => pool.apply(t) as tf.Tensor;
      const [pa, pb] = [onPool(a.toTensor()), onPool(b.toTensor())];
      // The window's maximum itself (an average would give 1.25), where that window lands.
      assert.equal(pa.dataSync()[(2 * 7 + 2) * 16 + 3], 5);
      return tf.sub(pa, pb).abs().max().dataSync()[0];
    });
    assert.equal(inWindow, 0);
    assert.deepEqual((upTo.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape, [2, 7, 7, 16]);
    assert.deepEqual((pooled.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape, [2, 10]);
  });

  it("transformer ignores padding: changing the padding embedding leaves predictions unchanged", () => {
    const model = zoo.transformerEncoder({ vocabSize: 20, sequenceLength: 6, numClasses: 3, dModel: 8, numHeads: 2, numLayers: 1, dropout: 0 });
    const x = tf.tensor2d([[3, 4, 5, 0, 0, 0], [7, 1, 0, 0, 0, 0]], undefined, "int32");
    const before = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const emb = model.getLayer("embedding");
    const [table] = emb.getWeights();
    const rows = table.arraySync() as number[][];
    rows[0] = rows[0].map(() => 5 * Math.random()); // the padding token's vector
    emb.setWeights([tf.tensor2d(rows)]);
    const after = Array.from((model.predict(x) as tf.Tensor).dataSync());
    before.forEach((v, i) => assert.ok(Math.abs(v - after[i]) < 1e-5, `${v} vs ${after[i]}`));
    // A real token does change the output.
    const y = tf.tensor2d([[3, 4, 6, 0, 0, 0], [7, 1, 0, 0, 0, 0]], undefined, "int32");
    const changed = Array.from((model.predict(y) as tf.Tensor).dataSync());
    assert.ok(Math.abs(changed[0] - after[0]) + Math.abs(changed[1] - after[1]) > 1e-6);
  });
});
