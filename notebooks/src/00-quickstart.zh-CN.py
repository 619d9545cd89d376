"""The quickstart in Simplified Chinese: the English notebook's cells with their text translated
(the code is the same apart from switching the locale), so the two never drift apart."""
import os
import runpy

_EN = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "00-quickstart.py"))["CELLS"]

_TEXT = {
    """# Lepton quickstart

The whole life of a model in ten cells: load data, preprocess, build, train, evaluate, plot, save and
serve it over REST. `lepton`, `tf` and `dfd` are already loaded; every cell is type-checked before it runs
(try `lepton.` and Tab for completion, Shift+Tab for documentation).""":
    """# Lepton 快速入门

用十个单元格走完模型的一生：加载数据、预处理、构建、训练、评估、绘图、保存并通过 REST 提供服务。
`lepton`、`tf` 和 `dfd` 已经预先加载；每个单元格在运行前都会进行类型检查
（输入 `lepton.` 后按 Tab 补全，按 Shift+Tab 查看文档）。""",
    "// Parameters (papermill-style: `npx lepton run` can override them).": "// 参数（papermill 风格：`npx lepton run` 可以覆盖它们）。",
    "lepton.seed(seed);\nlepton.env()": "lepton.locale(\"zh-CN\"); // 之后的表格、进度和错误信息都使用中文\nlepton.seed(seed);\nlepton.env()",
    "## 1. Data\nBreast Cancer Wisconsin ships with the workbench (no download). The split is stratified and seeded.":
        "## 1. 数据\n威斯康星乳腺癌数据集随工作台一起提供（无需下载）。划分是分层的，并使用固定的随机种子。",
    "// Standardise with statistics of the training split only (no leakage into the test split).": "// 只用训练集的统计量做标准化（不向测试集泄漏信息）。",
    "## 2. Model\nA small multi-layer perceptron from the model zoo.": "## 2. 模型\n来自模型库的一个小型多层感知机。",
    "## 3. Training\nOne progress bar and one chart, updated in place.": "## 3. 训练\n一个进度条和一张图表，原地更新。",
    "## 4. Evaluation": "## 4. 评估",
    "## 5. Save and serve\nThe bundle keeps the class labels and metrics beside the tfjs model; the server speaks TF Serving's REST API.":
        "## 5. 保存与服务\n模型包在 tfjs 模型旁保存类别标签和指标；服务器使用 TF Serving 的 REST API。",
}


def _translate(src):
    for en, zh in _TEXT.items():
        src = src.replace(en, zh)
    return src


CELLS = [(kind, _translate(src), *rest) for kind, src, *rest in _EN]
_untranslated = [en for en in _TEXT if not any(en in src for _, src, *_r in _EN)]
assert not _untranslated, f"the English quickstart changed; update the translation of: {_untranslated}"
