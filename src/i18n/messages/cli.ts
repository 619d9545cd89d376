/** Messages of the command line (`npx lepton ...`). Keys in `en` and `zh` must match (a test checks). */
export const en: Record<string, string> = {
  usage: "Usage: lepton <command>\n\nCommands:\n  start [--port N] [--no-browser]      install the kernel and open Jupyter on notebooks/\n  kernel install [--user|--sys-prefix|--prefix P]   register the \"Lepton TypeScript\" kernel\n  run <notebook> [-p name=value ...] [-o out.ipynb]  run a notebook headless\n  serve <model-dir> [--port N] [--host H] [--token T]  serve a saved model over REST\n  deploy docker <model-dir>             write a Dockerfile that serves the model\n",
  unknownCommand: "Unknown command \"{{command}}\". Run \"npx lepton --help\" for the list of commands.",
  kernelInstalled: "Installed the kernel \"Lepton TypeScript\" (lepton) in {{dir}}",
  notBuilt: "The kernel is not built ({{file}} is missing). Run \"npm install\" (or \"npm run build\") in {{root}} first.",
  noJupyter: "No Jupyter found on PATH. Install one, then run this command again:\n  pip install jupyterlab            (any OS, with Python)\n  sudo apt-get install jupyter-notebook   (Debian/Ubuntu)\nThe Lepton kernel is already registered, so it will appear in the launcher.",
  startingJupyter: "Starting {{tool}} on {{dir}} with the Lepton kernel (Ctrl+C to stop)...",
  missingArgument: "Missing argument: {{what}}. Usage: {{usage}}",
  badOption: "Unknown option \"{{option}}\" for \"{{command}}\".",
  notAvailable: "\"{{command}}\" is not available in this build: {{reason}}",
};

export const zh: Record<keyof typeof en, string> = {
  usage: "用法：lepton <命令>\n\n命令：\n  start [--port N] [--no-browser]      安装内核并在 notebooks/ 上打开 Jupyter\n  kernel install [--user|--sys-prefix|--prefix P]   注册“Lepton TypeScript”内核\n  run <笔记本> [-p 名称=值 ...] [-o out.ipynb]  无界面运行笔记本\n  serve <模型目录> [--port N] [--host H] [--token T]  通过 REST 提供已保存的模型\n  deploy docker <模型目录>             生成提供该模型服务的 Dockerfile\n",
  unknownCommand: "未知命令“{{command}}”。运行 \"npx lepton --help\" 查看命令列表。",
  kernelInstalled: "已在 {{dir}} 安装内核“Lepton TypeScript”（lepton）",
  notBuilt: "内核尚未构建（缺少 {{file}}）。请先在 {{root}} 中运行 \"npm install\"（或 \"npm run build\"）。",
  noJupyter: "在 PATH 中找不到 Jupyter。请安装后再次运行本命令：\n  pip install jupyterlab            （任何系统，需要 Python）\n  sudo apt-get install jupyter-notebook   （Debian/Ubuntu）\nLepton 内核已经注册，安装后会出现在启动器中。",
  startingJupyter: "正在以 Lepton 内核在 {{dir}} 上启动 {{tool}}（按 Ctrl+C 停止）……",
  missingArgument: "缺少参数：{{what}}。用法：{{usage}}",
  badOption: "命令“{{command}}”不支持选项“{{option}}”。",
  notAvailable: "此版本中无法使用“{{command}}”：{{reason}}",
};
