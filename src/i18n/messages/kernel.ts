/** Messages of the Lepton kernel. Keys in `en` and `zh` must match (a test checks). */
export const en: Record<string, string> = {
  interrupted: "Execution interrupted: the kernel stopped the cell; variables defined so far are kept.",
  stdinNotAllowed: "input() is not available: this frontend does not accept input (allow_stdin is false). Pass values as parameters instead.",
  inputPending: "input() is already waiting for an answer; await the first call before asking again.",
  commClosed: "Comm {{id}} is closed; open a new one with comms.open(...).",
  unhandledRejection: "Unhandled promise rejection (after the cell finished)",
  uncaughtException: "Uncaught exception (after the cell finished)",
  checkerFailed: "The type checker failed on this cell ({{detail}}). Restart the kernel if it keeps failing, and report the cell.",
  banner: "Lepton TypeScript {{version}} (TypeScript {{ts}}, Node {{node}}, TensorFlow.js backend: {{backend}})\n`lepton`, `tf` and `dfd` are preloaded; cells are type-checked before they run.",
};

export const zh: Record<keyof typeof en, string> = {
  interrupted: "执行已中断：内核停止了该单元格；已定义的变量都被保留。",
  stdinNotAllowed: "无法使用 input()：当前前端不接受输入（allow_stdin 为 false）。请改用参数传入取值。",
  inputPending: "input() 正在等待回答；请先 await 第一次调用，再次提问。",
  commClosed: "通信通道 {{id}} 已关闭；请用 comms.open(...) 新建一个。",
  unhandledRejection: "未处理的 Promise 拒绝（单元格已结束之后）",
  uncaughtException: "未捕获的异常（单元格已结束之后）",
  checkerFailed: "类型检查器处理此单元格时失败（{{detail}}）。如果反复失败，请重启内核，并报告该单元格。",
  banner: "Lepton TypeScript {{version}}（TypeScript {{ts}}，Node {{node}}，TensorFlow.js 后端：{{backend}}）\n已预先加载 `lepton`、`tf` 和 `dfd`；单元格在运行前会进行类型检查。",
};
