/**
 * Runs Jupyter's own tools (Debian's /usr/bin/python3 with jupyter_client, nbclient, ...) against
 * the Lepton kernel, with the kernelspec installed into a private JUPYTER_PATH so tests never
 * depend on (or change) the user's own Jupyter set-up.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernelSpec } from "../../kernel/install";
import { ROOT } from "./kernel-client";

export const PYTHON = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

let env: NodeJS.ProcessEnv | undefined;

/** Environment for child processes that must find the `lepton` kernel. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  if (!env) {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-jupyter-"));
    installKernelSpec(ROOT, { kind: "prefix", prefix });
    env = {
      ...process.env,
      JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
      JUPYTER_RUNTIME_DIR: path.join(prefix, "runtime"),
      JUPYTER_DATA_DIR: path.join(prefix, "data"),
      JUPYTER_CONFIG_DIR: path.join(prefix, "config"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      PYTHONWARNINGS: "ignore",
    };
  }
  return env;
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${cmd} ${args.join(" ")} timed out\n${stdout}\n${stderr}`)); }, opts.timeoutMs ?? 300_000);
    child.on("exit", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
