/**
 * A kernel started for one headless run and driven over ZeroMQ, as Jupyter's own clients do:
 * a fresh connection file, the kernel process, shell/iopub/control sockets, kernel_info until the
 * kernel answers on both shell and iopub (so no output of the first cell is missed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type * as zmq from "zeromq";
import { LeptonError } from "../i18n/index";
import { zeromq } from "./lazy-modules";
import { MessageSigner, type WireMessage } from "./wire";

/** How an execute request ended. */
export type ExecuteStatus = "ok" | "error" | "aborted" | "timeout" | "died";

export interface ExecuteOutcome {
  status: ExecuteStatus;
  /** The shell reply's content, when one came. */
  reply?: Record<string, any>;
}

/** A free TCP port on loopback (the kernel binds it a moment later, as Jupyter does). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const CHANNELS = ["shell", "iopub", "stdin", "control", "hb"] as const;

export class KernelSession {
  private readonly session = randomUUID();
  private readonly signer: MessageSigner;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly iopubListeners = new Map<string, (m: WireMessage) => void>();
  private readonly replyListeners = new Map<string, (m: WireMessage) => void>();
  private readonly exitListeners = new Set<() => void>();
  private stderr = "";
  private closed = false;

  private constructor(private readonly proc: ChildProcess, private readonly dir: string, key: string, ports: Record<string, number>) {
    this.signer = new MessageSigner(key);
    const { Dealer, Subscriber } = zeromq();
    this.shell = new Dealer({ routingId: this.session });
    this.control = new Dealer();
    this.iopub = new Subscriber();
    const url = (name: string) => `tcp://127.0.0.1:${ports[name]}`;
    this.shell.connect(url("shell"));
    this.control.connect(url("control"));
    this.iopub.connect(url("iopub"));
    this.iopub.subscribe();
    proc.stderr?.on("data", (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-8000); });
    proc.stdout?.on("data", (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-8000); });
    proc.on("exit", () => { for (const l of this.exitListeners) l(); });
    void this.pump(this.iopub, this.iopubListeners);
    void this.pump(this.shell, this.replyListeners);
    void this.pump(this.control, this.replyListeners);
  }

  /**
   * Starts a kernel: `argv(connectionFile)` is its command line (a kernelspec's argv with
   * `{connection_file}` filled in), run in `cwd`.
   */
  static async start(argv: (connectionFile: string) => string[], cwd: string, env: NodeJS.ProcessEnv = {}, startTimeoutMs = 60_000): Promise<KernelSession> {
    const ports: Record<string, number> = {};
    for (const name of CHANNELS) ports[name] = await freePort();
    const key = randomBytes(16).toString("hex");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-run-"));
    const file = path.join(dir, "kernel.json");
    fs.writeFileSync(file, JSON.stringify({
      transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256", key,
      shell_port: ports.shell, iopub_port: ports.iopub, stdin_port: ports.stdin, control_port: ports.control, hb_port: ports.hb,
    }), { mode: 0o600 });
    const [cmd, ...args] = argv(file);
    const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const kernel = new KernelSession(proc, dir, key, ports);
    try {
      await kernel.waitReady(startTimeoutMs);
    } catch (e) {
      await kernel.shutdown();
      throw e;
    }
    return kernel;
  }

  /** The last lines the kernel wrote to its stdout/stderr (for error messages). */
  log(): string {
    return this.stderr.trim().split("\n").slice(-15).join("\n");
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private async pump(socket: zmq.Dealer | zmq.Subscriber, listeners: Map<string, (m: WireMessage) => void>): Promise<void> {
    try {
      for await (const frames of socket) {
        const msg = this.signer.decode(frames as Buffer[]);
        const id = msg?.parent_header.msg_id;
        if (msg && id) listeners.get(id)?.(msg);
      }
    } catch {
      // The socket was closed.
    }
  }

  /** kernel_info until a reply and its iopub status both arrive: then iopub is subscribed too. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive()) throw new LeptonError("run:kernelExited", { log: this.log() });
      const { id, frames } = this.signer.request("kernel_info_request", this.session, {});
      const ready = new Promise<boolean>((resolve) => {
        let replied = false;
        let published = false;
        const done = () => { if (replied && published) finish(true); };
        const timer = setTimeout(() => finish(false), 1000);
        const finish = (ok: boolean) => {
          clearTimeout(timer);
          this.replyListeners.delete(id);
          this.iopubListeners.delete(id);
          resolve(ok);
        };
        this.replyListeners.set(id, () => { replied = true; done(); });
        this.iopubListeners.set(id, () => { published = true; done(); });
      });
      await this.shell.send(frames);
      if (await ready) return;
      if (Date.now() > deadline) throw new LeptonError("run:kernelNoAnswer", { seconds: Math.round(timeoutMs / 1000), log: this.log() });
    }
  }

  /**
   * Runs `code` and hands every iopub message it causes to `onOutput`; resolves once the reply and
   * the kernel's idle status for it have both arrived. After `timeoutMs` the kernel is interrupted.
   */
  execute(code: string, onOutput: (m: WireMessage) => void, timeoutMs = 0, storeHistory = true): Promise<ExecuteOutcome> {
    const { id, frames } = this.signer.request("execute_request", this.session, {
      code, silent: false, store_history: storeHistory, user_expressions: {}, allow_stdin: false, stop_on_error: true,
    });
    return new Promise<ExecuteOutcome>((resolve) => {
      let reply: Record<string, any> | undefined;
      let idle = false;
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: ExecuteOutcome) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        this.replyListeners.delete(id);
        this.iopubListeners.delete(id);
        this.exitListeners.delete(onExit);
        resolve(outcome);
      };
      const settle = () => {
        if (reply && idle) finish({ status: timedOut ? "timeout" : (reply.status as ExecuteStatus), reply });
      };
      const onExit = () => finish({ status: timedOut ? "timeout" : "died", reply });
      this.exitListeners.add(onExit);
      this.replyListeners.set(id, (m) => { reply = m.content; settle(); });
      this.iopubListeners.set(id, (m) => {
        if (m.header.msg_type === "status") {
          if (m.content.execution_state === "idle") { idle = true; settle(); }
          return;
        }
        onOutput(m);
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          void this.interrupt();
          // A cell that ignores the interrupt (a busy synchronous loop) costs the kernel.
          killTimer = setTimeout(() => this.proc.kill("SIGKILL"), 10_000);
        }, timeoutMs);
      }
      this.shell.send(frames).catch(() => finish({ status: "died" }));
    });
  }

  /** Asks the kernel to stop the running cell (interrupt_request on control, as kernelspecs with interrupt_mode "message" expect). */
  async interrupt(): Promise<void> {
    if (!this.alive()) return;
    const { frames } = this.signer.request("interrupt_request", this.session, {});
    await this.control.send(frames).catch(() => undefined);
  }

  /** Shuts the kernel down politely, then for sure; removes the connection file. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.alive()) {
      const exited = new Promise<void>((resolve) => {
        this.exitListeners.add(resolve);
        setTimeout(resolve, 3000).unref();
      });
      const { frames } = this.signer.request("shutdown_request", this.session, { restart: false });
      await this.control.send(frames).catch(() => undefined);
      await exited;
      if (this.alive()) this.proc.kill("SIGKILL");
    }
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
