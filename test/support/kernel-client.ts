/**
 * A minimal Jupyter client over ZeroMQ for tests: starts the real kernel process with a fresh
 * connection file and speaks the wire protocol to it, as JupyterLab's server would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { decode, encode, newHeader, Signer, type Message } from "../../src/jupyter/wire";
import { freePort } from "../../src/run/kernel-session";

export const ROOT = path.resolve(__dirname, "..", "..");
export const KERNEL_MAIN = path.join(ROOT, "dist", "kernel", "main.js");

export interface Reply { reply: Message; iopub: Message[] }

export class KernelClient {
  readonly key = randomBytes(16).toString("hex");
  readonly signer = new Signer("hmac-sha256", this.key);
  readonly session = randomUUID();
  proc!: ChildProcess;
  stderr = "";
  // Shell and stdin share one identity, as in jupyter_client, so input_request finds us.
  private shell = new zmq.Dealer({ routingId: this.session });
  private control = new zmq.Dealer();
  private stdin = new zmq.Dealer({ routingId: this.session });
  private iopub = new zmq.Subscriber();
  private hb = new zmq.Request();
  private iopubLog: Message[] = [];
  private iopubWaiters: (() => void)[] = [];
  private stdinQueue: Message[] = [];
  private connFile = "";
  private ports: Record<string, number> = {};
  /** Called for every input_request; return the answer. */
  onInput: ((prompt: string, password: boolean) => string) | undefined;
  /** Milliseconds from spawning the process to its first kernel_info_reply. */
  startedInMs = 0;

  /** Starts a kernel; `argv` builds another kernel's command line (benchmarks start tslab too). */
  async start(env: NodeJS.ProcessEnv = {}, cwd = ROOT, argv: (connFile: string) => string[] = (f) => [process.execPath, KERNEL_MAIN, f]): Promise<void> {
    for (const name of ["shell", "iopub", "stdin", "control", "hb"]) this.ports[name] = await freePort();
    this.connFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lepton-test-")), "conn.json");
    fs.writeFileSync(this.connFile, JSON.stringify({
      transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256", key: this.key,
      shell_port: this.ports.shell, iopub_port: this.ports.iopub, stdin_port: this.ports.stdin,
      control_port: this.ports.control, hb_port: this.ports.hb,
    }));
    const [cmd, ...args] = argv(this.connFile);
    this.proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    this.proc.stderr!.on("data", (d) => { this.stderr += d.toString(); });
    this.proc.stdout!.on("data", (d) => { this.stderr += d.toString(); });
    const url = (p: number) => `tcp://127.0.0.1:${p}`;
    this.shell.connect(url(this.ports.shell));
    this.control.connect(url(this.ports.control));
    this.stdin.connect(url(this.ports.stdin));
    this.iopub.connect(url(this.ports.iopub));
    this.iopub.subscribe();
    this.hb.connect(url(this.ports.hb));
    void this.readIopub();
    void this.readStdin();
    const t0 = Date.now();
    // Jupyter's own readiness check: kernel_info until it answers.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.request("kernel_info_request", {}, "shell", 2000);
        this.startedInMs = Date.now() - t0;
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`kernel did not start: ${this.stderr}`);
      }
    }
  }

  private async readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        try {
          this.iopubLog.push(decode(frames as Buffer[], this.signer));
        } catch { /* ignore */ }
        for (const w of this.iopubWaiters.splice(0)) w();
      }
    } catch { /* closed */ }
  }

  private async readStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const msg = decode(frames as Buffer[], this.signer);
        if (msg.header.msg_type === "input_request" && this.onInput) {
          const value = this.onInput(String(msg.content.prompt), !!msg.content.password);
          await this.stdin.send(encode(this.signer, [], newHeader("input_reply", this.session), msg.header, { value }) as never);
        } else this.stdinQueue.push(msg);
      }
    } catch { /* closed */ }
  }

  /** Sends raw frames on a channel (for tests of bad signatures). */
  async sendRaw(channel: "shell" | "control", frames: (Buffer | string)[]): Promise<void> {
    await this[channel].send(frames as never);
  }

  async send(msgType: string, content: unknown, channel: "shell" | "control" = "shell"): Promise<string> {
    const header = newHeader(msgType, this.session);
    await this[channel].send(encode(this.signer, [], header, {}, content) as never);
    return header.msg_id;
  }

  async receive(channel: "shell" | "control", timeoutMs: number): Promise<Message> {
    const sock = this[channel];
    sock.receiveTimeout = timeoutMs;
    return decode((await sock.receive()) as Buffer[], this.signer);
  }

  /** Sends a request and waits for its reply and for the kernel to be idle for it. */
  async request(msgType: string, content: unknown, channel: "shell" | "control" = "shell", timeoutMs = 60_000): Promise<Reply> {
    const id = await this.send(msgType, content, channel);
    let reply: Message;
    for (;;) {
      reply = await this.receive(channel, timeoutMs);
      if (reply.parent_header.msg_id === id) break;
    }
    const iopub = await this.waitIdle(id, timeoutMs);
    return { reply, iopub };
  }

  async execute(code: string, extra: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<Reply> {
    return this.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...extra }, "shell", timeoutMs);
  }

  messagesFor(msgId: string): Message[] {
    return this.iopubLog.filter((m) => m.parent_header.msg_id === msgId);
  }

  async waitIdle(msgId: string, timeoutMs = 60_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const msgs = this.messagesFor(msgId);
      if (msgs.some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle")) return msgs;
      if (Date.now() > deadline) throw new Error(`no idle status for ${msgId}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.iopubWaiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Waits until some iopub message matches. */
  async waitFor(pred: (m: Message) => boolean, timeoutMs = 30_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.iopubLog.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error("timed out waiting for an iopub message");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    this.hb.receiveTimeout = timeoutMs;
    try {
      await this.hb.send("ping");
      const [r] = await this.hb.receive();
      return r.toString() === "ping";
    } catch {
      return false;
    }
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive()) {
      try { await this.request("shutdown_request", { restart: false }, "control", 5000); } catch { /* ignore */ }
      await new Promise((r) => setTimeout(r, 200));
      if (this.alive()) this.proc.kill("SIGKILL");
    }
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
  }
}

/** Text of all stream output in a list of iopub messages. */
export function streamText(msgs: Message[], name = "stdout"): string {
  return msgs.filter((m) => m.header.msg_type === "stream" && m.content.name === name).map((m) => m.content.text).join("");
}

export function resultText(msgs: Message[]): string | undefined {
  return msgs.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"];
}
