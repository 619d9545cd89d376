/** Messages of the backend concern. Keys in `en` and `zh` must match (a test checks). */
export const en: Record<string, string> = {
  unknownBackend:
    "LEPTON_BACKEND is \"{{value}}\", which is not a backend name. Use one of: gpu, node, wasm, cpu (or unset it to pick the fastest available).",
  unavailable:
    "The {{backend}} backend was requested (LEPTON_BACKEND={{backend}}) but is not available: {{reason}} Unset LEPTON_BACKEND to fall back to the fastest available backend.",
  reasonNotInstalled:
    "the package {{pkg}} is not installed (its install script downloads libtensorflow, which fails without internet access). Install it with `npm install {{pkg}}` on a machine with access to storage.googleapis.com.",
  reasonAliased:
    "{{pkg}} resolves to plain @tensorflow/tfjs here (an npm override alias), not the native TensorFlow binding. Install the real {{pkg}} to use native TensorFlow.",
  reasonLoadFailed:
    "loading {{pkg}} failed: {{detail}}. For the GPU build, CUDA 11.2 and cuDNN 8.1 libraries must be on the library path (LD_LIBRARY_PATH).",
  reasonNoBackend: "{{pkg}} loaded but did not register the \"tensorflow\" backend.",
  reasonWasmFiles:
    "the WebAssembly binaries were not found in {{dir}} (reinstall @tensorflow/tfjs-backend-wasm).",
  reasonInitFailed: "initialising the backend failed: {{detail}}.",
  backendChanged:
    "The tfjs backend was changed to \"{{actual}}\" after lepton chose \"{{expected}}\"; call lepton.backend.ready() again to restore it.",
  envTitle: "Compute backend",
  envBackend: "Backend",
  envTfjsBackend: "TensorFlow.js backend",
  envSimd: "SIMD",
  envThreads: "Threads",
  envCores: "CPU cores",
  envTensors: "Live tensors",
  envTensorBytes: "Tensor memory",
  envWasmHeap: "WebAssembly heap",
  envRss: "Process memory (RSS)",
  envVersions: "Versions",
  envSkipped: "Not used",
  envSeed: "Seed",
  envYes: "yes",
  envNo: "no",
  envNone: "none",
  envNotApplicable: "n/a",
  stepLossNotScalar:
    "The loss function returned a tensor of shape [{{shape}}]; a training step needs a scalar. Reduce it, for example with tf.mean(...).",
  parallelReplicas:
    "replicas is {{value}}: data-parallel training needs a whole number of threads from 2 to 64 (the calling thread included). Use 1 thread with makeTrainStep instead.",
  badWeightDecay: "weightDecay is {{value}}: give a number of at least 0 (0: no decay; 0.01 is a common start, as fastai's default).",
  parallelMaxBatch: "maxBatch is {{value}}: give the largest batch size the step will see (a whole number, at least 1).",
  parallelSingleIO:
    "Data-parallel training takes models with one input and one output; this one has {{inputs}} input(s) and {{outputs}} output(s). Train it on one thread (workers: 1).",
  parallelDisposed: "This data-parallel training step was disposed (its worker threads are stopped). Make a new one.",
  parallelBatchTooLarge: "The batch has {{rows}} rows but the data-parallel step was made for at most {{max}}. Make the step with a larger maxBatch.",
  parallelDtype: "Data-parallel training sends float32 and int32 batches to its threads; this one is {{dtype}}. Cast it first.",
  parallelLabelShape: "The labels have shape [{{shape}}], more values per row than the model's output ({{row}}). Give one-hot rows or class ids.",
  parallelLoss:
    "Training on several threads (workers > 1) takes the categorical cross-entropies (one-hot labels or class ids); this run's loss is {{loss}}. Train it with workers: 1.",
  parallelTimeout: "Training thread {{replica}} gave no gradients for {{seconds}} s, so the step stopped instead of waiting forever.",
  parallelReplicaFailed: "Training thread {{replica}} failed: {{message}}",
  parallelReplicaExited: "Training thread {{replica}} stopped while starting (exit code {{code}}). Train on one thread (workers: 1), and report this if it repeats.",
  parallelOptimizerState:
    "The optimizer holds state for \"{{name}}\", which is not a weight of this model, so it cannot be copied to the training threads. Use a new optimizer for this model.",
  stepNoTrainable:
    "The model has no trainable weights, so a training step has nothing to update. Unfreeze some layers (lepton.zoo.unfreeze) first.",
  gatherIndexOutOfRange: "GatherV2: the index value {{index}} is not in [0, {{last}}]: every index must name an existing row (0 to {{last}}).",
  stepUnknownLoss:
    "Unknown loss \"{{loss}}\". Use one of: {{known}}, or pass a function (yTrue, yPred) => tf.Scalar.",
  stepUnknownOptimizer:
    "Unknown optimizer \"{{optimizer}}\". Use one of: {{known}}, or pass a tf.Optimizer.",
  seedInvalid: "The seed must be a finite integer, got {{seed}}.",
  kernelMissingOnBackend:
    "The {{backend}} backend has no \"{{kernel}}\" kernel, which this model needs for training. Force another backend with LEPTON_BACKEND=cpu.",
};

export const zh: Record<keyof typeof en, string> = {
  unknownBackend:
    "LEPTON_BACKEND 的值为“{{value}}”，这不是后端名称。请使用 gpu、node、wasm、cpu 之一（或取消设置以自动选择最快的可用后端）。",
  unavailable:
    "已请求 {{backend}} 后端（LEPTON_BACKEND={{backend}}），但它不可用：{{reason}} 取消设置 LEPTON_BACKEND 即可回退到最快的可用后端。",
  reasonNotInstalled:
    "未安装 {{pkg}} 包（它的安装脚本需要下载 libtensorflow，没有网络时会失败）。请在可以访问 storage.googleapis.com 的机器上运行 `npm install {{pkg}}`。",
  reasonAliased:
    "此处的 {{pkg}} 指向普通的 @tensorflow/tfjs（npm override 别名），而不是原生 TensorFlow 绑定。要使用原生 TensorFlow，请安装真正的 {{pkg}}。",
  reasonLoadFailed:
    "加载 {{pkg}} 失败：{{detail}}。GPU 版本需要 CUDA 11.2 与 cuDNN 8.1 库位于库路径（LD_LIBRARY_PATH）中。",
  reasonNoBackend: "{{pkg}} 已加载，但没有注册“tensorflow”后端。",
  reasonWasmFiles: "在 {{dir}} 中找不到 WebAssembly 二进制文件（请重新安装 @tensorflow/tfjs-backend-wasm）。",
  reasonInitFailed: "后端初始化失败：{{detail}}。",
  backendChanged:
    "lepton 选择了“{{expected}}”之后，tfjs 后端被改成了“{{actual}}”；再次调用 lepton.backend.ready() 即可恢复。",
  envTitle: "计算后端",
  envBackend: "后端",
  envTfjsBackend: "TensorFlow.js 后端",
  envSimd: "SIMD",
  envThreads: "线程数",
  envCores: "CPU 核心数",
  envTensors: "存活张量数",
  envTensorBytes: "张量内存",
  envWasmHeap: "WebAssembly 堆",
  envRss: "进程内存（RSS）",
  envVersions: "版本",
  envSkipped: "未使用",
  envSeed: "随机种子",
  envYes: "是",
  envNo: "否",
  envNone: "无",
  envNotApplicable: "不适用",
  stepLossNotScalar:
    "损失函数返回了形状为 [{{shape}}] 的张量；训练步骤需要标量。请先归约，例如使用 tf.mean(...)。",
  parallelReplicas: "replicas 为 {{value}}：数据并行训练需要 2 到 64 之间的整数个线程（含调用线程）。单线程请改用 makeTrainStep。",
  badWeightDecay: "weightDecay 为 {{value}}：请给出不小于 0 的数（0 表示不衰减；常用起点为 0.01，即 fastai 的默认值）。",
  parallelMaxBatch: "maxBatch 为 {{value}}：请给出该步骤会遇到的最大批大小（不小于 1 的整数）。",
  parallelSingleIO: "数据并行训练只支持单输入单输出的模型；此模型有 {{inputs}} 个输入和 {{outputs}} 个输出。请单线程训练（workers: 1）。",
  parallelDisposed: "此数据并行训练步骤已释放（其工作线程已停止）。请重新创建一个。",
  parallelBatchTooLarge: "该批有 {{rows}} 行，但数据并行步骤最多支持 {{max}} 行。请用更大的 maxBatch 创建步骤。",
  parallelDtype: "数据并行训练只向线程发送 float32 和 int32 的批数据；此批为 {{dtype}}。请先转换类型。",
  parallelLabelShape: "标签形状为 [{{shape}}]，每行的值多于模型输出（{{row}}）。请提供独热行或类别编号。",
  parallelLoss: "多线程训练（workers > 1）只支持分类交叉熵（独热标签或类别编号）；本次的损失为 {{loss}}。请使用 workers: 1 训练。",
  parallelTimeout: "训练线程 {{replica}} 在 {{seconds}} 秒内没有给出梯度，步骤已停止，而不是无限等待。",
  parallelReplicaFailed: "训练线程 {{replica}} 失败：{{message}}",
  parallelReplicaExited: "训练线程 {{replica}} 在启动时退出（退出码 {{code}}）。请单线程训练（workers: 1）；如再次出现请报告。",
  parallelOptimizerState: "优化器保存了“{{name}}”的状态，但它不是此模型的权重，因此无法复制到训练线程。请为此模型使用新的优化器。",
  stepNoTrainable: "模型没有可训练的权重，训练步骤无可更新。请先解冻部分层（lepton.zoo.unfreeze）。",
  gatherIndexOutOfRange: "GatherV2：索引值 {{index}} 不在 [0, {{last}}] 范围内：每个索引都必须指向已有的行（0 到 {{last}}）。",
  stepUnknownLoss: "未知的损失函数“{{loss}}”。请使用 {{known}} 之一，或传入函数 (yTrue, yPred) => tf.Scalar。",
  stepUnknownOptimizer: "未知的优化器“{{optimizer}}”。请使用 {{known}} 之一，或传入 tf.Optimizer。",
  seedInvalid: "随机种子必须是有限整数，收到的是 {{seed}}。",
  kernelMissingOnBackend:
    "{{backend}} 后端没有训练此模型所需的“{{kernel}}”内核。请用 LEPTON_BACKEND=cpu 强制使用其他后端。",
};
