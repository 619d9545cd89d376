/**
 * Starts one of Debian's Jupyter servers (classic Notebook 6 or jupyter_server) for frontend
 * tests: a free port, a random token, the private JUPYTER_PATH from `jupyterEnv()` so it finds the
 * `lepton` kernel, readiness by polling /api/status, and a stop that shuts its kernels down first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import { jupyterEnv, PYTHON } from "../support/jupyter";

export interface JupyterServer {
  /** Base URL, no trailing slash (http://127.0.0.1:PORT). */
  url: string;
  token: string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  /** Shuts its kernels down, then the server; resolves when the process has exited. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The server's arguments for "notebook" (classic Notebook 6) or "jupyter_server". */
function argsFor(kind: "notebook" | "jupyter_server", port: number, token: string, root: string): string[] {
  const app = kind === "notebook" ? "NotebookApp" : "ServerApp";
  return [
    "-m", kind, "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--${app}.token=${token}`, kind === "notebook" ? `--notebook-dir=${root}` : `--ServerApp.root_dir=${root}`,
  ];
}

/** Starts a server and waits until it answers; throws with its log if it does not within `timeoutMs`. */
export async function startJupyterServer(kind: "notebook" | "jupyter_server", root: string, timeoutMs = 60_000): Promise<JupyterServer> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  // Its own process group, so stop() can end the server and any kernel it started.
  const proc: ChildProcess = spawn(PYTHON, argsFor(kind, port, token, root), {
    cwd: root, env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  let log = "";
  proc.stdout!.on("data", (d) => { log += d; });
  proc.stderr!.on("data", (d) => { log += d; });
  let exited = false;
  const exit = new Promise<void>((resolve) => proc.on("exit", () => { exited = true; resolve(); }));

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) } });

  const stop = async () => {
    if (exited) return;
    try {
      const kernels = (await (await api("/api/kernels")).json()) as { id: string }[];
      await Promise.all(kernels.map((k) => api(`/api/kernels/${k.id}`, { method: "DELETE" })));
    } catch {
      // The server may already be gone; the signals below still clean up.
    }
    try { process.kill(-proc.pid!, "SIGTERM"); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-proc.pid!, "SIGKILL"); } catch { /* gone */ } }, 5000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${kind} exited before it answered:\n${log.slice(-4000)}`);
    try {
      const r = await api("/api/status");
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${kind} did not answer on ${url} within ${timeoutMs / 1000} s:\n${log.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token, log: () => log, stop };
}
