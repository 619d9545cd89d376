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
  stepNoTrainable: "模型没有可训练的权重，训练步骤无可更新。请先解冻部分层（lepton.zoo.unfreeze）。",
  gatherIndexOutOfRange: "GatherV2：索引值 {{index}} 不在 [0, {{last}}] 范围内：每个索引都必须指向已有的行（0 到 {{last}}）。",
  stepUnknownLoss: "未知的损失函数“{{loss}}”。请使用 {{known}} 之一，或传入函数 (yTrue, yPred) => tf.Scalar。",
  stepUnknownOptimizer: "未知的优化器“{{optimizer}}”。请使用 {{known}} 之一，或传入 tf.Optimizer。",
  seedInvalid: "随机种子必须是有限整数，收到的是 {{seed}}。",
  kernelMissingOnBackend:
    "{{backend}} 后端没有训练此模型所需的“{{kernel}}”内核。请用 LEPTON_BACKEND=cpu 强制使用其他后端。",
};
