CELLS = [
("markdown", """
# Lepton 快速入门

用十个单元格走完模型的一生：加载数据、预处理、构建、训练、评估、绘图、保存并通过 REST 提供服务。
`lepton`、`tf` 和 `dfd` 已经预先加载；每个单元格在运行前都会进行类型检查
（输入 `lepton.` 后按 Tab 补全，按 Shift+Tab 查看文档）。
"""),
("code", """
// 参数（papermill 风格：`npx lepton run` 可以覆盖它们）。
const epochs = 15;
const seed = 42;
""", {"tags": ["parameters"]}),
("code", """
lepton.locale("zh-CN"); // 之后的表格、进度和错误信息都使用中文
lepton.seed(seed);
lepton.env()
"""),
("markdown", "## 1. 数据\n威斯康星乳腺癌数据集随工作台一起提供（无需下载）。划分是分层的，并使用固定的随机种子。"),
("code", """
const { train, test } = await lepton.datasets.load("breast-cancer", { seed });
lepton.datasets.list()
"""),
("code", """
// 只用训练集的统计量做标准化（不向测试集泄漏信息）。
const { mean, variance } = tf.moments(train.x, 0);
const std = variance.sqrt().add(1e-7);
const xTrain = train.x.sub(mean).div(std);
const xTest = test.x.sub(mean).div(std);
console.log(`train ${xTrain.shape}, test ${xTest.shape}, classes: ${train.classes.join(", ")}`);
"""),
("markdown", "## 2. 模型\n来自模型库的一个小型多层感知机。"),
("code", """
const model = lepton.zoo.mlp({ inputShape: 30, hidden: [32, 16], numClasses: 2 });
lepton.zoo.summary(model)
"""),
("markdown", "## 3. 训练\n一个进度条和一张图表，原地更新。"),
("code", """
const history = await lepton.fit(model, { x: xTrain, y: train.y }, { epochs, batchSize: 32, lr: 3e-3, validationData: { x: xTest, y: test.y } });
"""),
("markdown", "## 4. 评估"),
("code", """
const probs = model.predict(xTest) as tf.Tensor;
const report = lepton.evaluate.classificationReport(test.labels, probs, { classNames: test.classes });
report
"""),
("code", """
lepton.evaluate.confusionMatrix(test.labels, probs, { classNames: test.classes })
"""),
("markdown", "## 5. 保存与服务\n模型包在 tfjs 模型旁保存类别标签和指标；服务器使用 TF Serving 的 REST API。"),
("code", """
const bundle = await lepton.save(model, "/tmp/lepton-quickstart-models-zh", { name: "breast-cancer", labels: test.classes,
  metrics: { accuracy: lepton.evaluate.accuracy(test.labels, probs) } });
const server = await lepton.serve("/tmp/lepton-quickstart-models-zh");
const answer = await fetch(`${server.url}/v1/models/breast-cancer:predict`, {
  method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ instances: (xTest.slice([0, 0], [2, 30]) as tf.Tensor2D).arraySync() }),
});
const prediction = await answer.json();
await server.stop();
prediction
"""),
]
