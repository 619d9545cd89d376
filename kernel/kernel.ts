/**
 * The Lepton kernel: Jupyter messaging protocol 5.3 over ZeroMQ, cells type-checked by the
 * TypeScript engine and run in this process's global scope with the lepton library preloaded.
 */
import { randomUUID } from "node:crypto";
import { SourceMap } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import { toScript, RUNTIME } from "./engine/cell-transform";
import { EngineClient } from "./engine/engine-client";
import { isComplete } from "./engine/is-complete";
import { AMBIENT_DECLARATIONS } from "./exec/ambient";
import { CommManager } from "./exec/comms";
import { bundleOf, makeDisplay, makeTslabModule, type DisplayOptions, type MimeBundle } from "./exec/display";
import { completeColumns } from "./exec/column-completion";
import { UnassignedNames } from "./exec/unassigned-names";
import { CellRegistry, runtimeErrorContent, typeErrorContent, type ErrorContent } from "./exec/errors";
import { History } from "./exec/history";
import { ModuleLoader } from "./exec/module-loader";
import { OutputRouter, type CellContext } from "./exec/output-router";
import { endpoint, type ConnectionInfo } from "./protocol/connection";
import { SerialSender } from "./protocol/sender";
import { decode, encode, newHeader, PROTOCOL_VERSION, Signer, WireError, type Header, type Message } from "../src/jupyter/wire";
import { preloadTypes, installPreloadGlobals, plannedBackend, startBackend } from "./preload";
import { locale, t } from "../src/i18n/index";

export const KERNEL_VERSION = "0.1.0";
/** TypeScript's version, read without loading the compiler (kernel_info comes before any cell). */
const TS_VERSION = (require("typescript/package.json") as { version: string }).version;

class Interrupted extends Error {
  constructor() {
    super(t("kernel:interrupted"));
    this.name = "Interrupted";
  }
}

interface Queued { msg: Message; resolve: () => void }

export class Kernel {
  private readonly session = randomUUID();
  private readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private shellSender!: SerialSender;
  private stdinSender!: SerialSender;
  private iopubSender!: SerialSender;
  private control!: Worker;
  private readonly router: OutputRouter;
  private readonly engine: EngineClient;
  private readonly registry = new CellRegistry();
  private readonly unassigned = new UnassignedNames();
  private readonly history = new History();
  private readonly comms: CommManager;
  private readonly loader: ModuleLoader;
  private executionCount = 0;
  private readonly queue: Queued[] = [];
  private running = false;
  private current: { abort: AbortController; interrupt: (e: Error) => void } | undefined;
  private pendingInput: { resolve: (s: string) => void; reject: (e: Error) => void } | undefined;
  private backendReady: Promise<unknown> | undefined;
  private warm: Promise<void> | undefined;
  private warmUpTimer: NodeJS.Timeout | undefined;

  constructor(private readonly info: ConnectionInfo, private readonly cwd = process.cwd()) {
    this.signer = new Signer(info.signature_scheme, info.key);
    this.router = new OutputRouter((type, content, parent) => this.publish(type, content, parent));
    this.engine = new EngineClient({ cwd, preload: preloadTypes(), ambient: AMBIENT_DECLARATIONS });
    this.comms = new CommManager((type, content) => {
      const ctx = this.router.current();
      this.publish(type, content, ctx?.parent ?? {});
    }, (s) => this.router.log(s));
    const sink = (bundle: MimeBundle, options: DisplayOptions) => this.display(bundle, options);
    this.loader = new ModuleLoader(cwd, { tslab: () => makeTslabModule(sink) });
  }

  async start(): Promise<void> {
    await this.shell.bind(endpoint(this.info, this.info.shell_port));
    await this.stdin.bind(endpoint(this.info, this.info.stdin_port));
    await this.iopub.bind(endpoint(this.info, this.info.iopub_port));
    this.shellSender = new SerialSender(this.shell);
    this.stdinSender = new SerialSender(this.stdin);
    this.iopubSender = new SerialSender(this.iopub);
    await this.startControlWorker();
    this.installGlobals();
    this.router.capture();
    process.on("SIGINT", () => this.interrupt());
    process.on("unhandledRejection", this.onUnhandledRejection);
    process.on("uncaughtException", this.onUncaughtException);
    this.publish("status", { execution_state: "starting" }, {});
    void this.loop(this.shell, (m) => this.onShell(m));
    void this.loop(this.stdin, (m) => this.onStdin(m));
    // Warm-up starts once the client has its kernel_info (or after a short pause), so that it
    // never delays the first reply.
    this.warmUpTimer = setTimeout(() => this.warmUp(), 1500);
  }

  /** Parses and binds the library's declarations and starts the compute backend, once. */
  private warmUp(): void {
    if (this.warm) return;
    clearTimeout(this.warmUpTimer);
    // The checker warms up on its thread while this one loads the library and the backend.
    const started = Date.now();
    this.warm = this.engine.warmUp().then(
      () => this.router.log(t("kernel:checkerWarm", { ms: Date.now() - started })),
      (e) => this.router.log(t("kernel:checkerWarmFailed", { message: (e as Error).message })),
    );
    this.backendReady = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => startBackend())
      .catch((e) => this.router.log(t("kernel:backendFailed", { message: (e as Error).message })))
      .finally(() => this.pruneForeignHandlers());
  }

  private async startControlWorker(): Promise<void> {
    this.control = new Worker(path.join(__dirname, "protocol", "control-worker.js"), {
      workerData: { info: this.info, session: this.session },
    });
    this.control.unref();
    await new Promise<void>((resolve, reject) => {
      this.control.on("message", (m: { ready?: boolean; frames?: Buffer[]; log?: string }) => {
        if (m.ready) resolve();
        if (m.log) this.router.log(m.log);
        if (m.frames) void this.onControl(m.frames.map((f) => Buffer.from(f)));
      });
      this.control.once("error", reject);
    });
  }

  private async loop(socket: zmq.Router, handler: (m: Message) => Promise<void> | void): Promise<void> {
    for await (const frames of socket) {
      let msg: Message;
      try {
        msg = decode(frames as Buffer[], this.signer);
      } catch (e) {
        if (e instanceof WireError) { this.router.log(t("kernel:messageRefused", { reason: e.message })); continue; }
        throw e;
      }
      try {
        await handler(msg);
      } catch (e) {
        this.router.log(t("kernel:handlingFailed", { type: msg.header.msg_type, stack: (e as Error).stack }));
      }
    }
  }

  // ---- sending -------------------------------------------------------------------------------

  private publish(msgType: string, content: unknown, parent: Partial<Header>, metadata: Record<string, unknown> = {}): void {
    if (msgType !== "stream") this.router.flush();
    const topic = msgType === "stream" ? `stream.${(content as { name: string }).name}` : msgType;
    void this.iopubSender.send(encode(this.signer, [topic], newHeader(msgType, this.session), parent, content, metadata));
  }

  private reply(sender: SerialSender, req: Message, msgType: string, content: unknown, metadata: Record<string, unknown> = {}): Promise<void> {
    this.router.flush();
    return sender.send(encode(this.signer, req.identities, newHeader(msgType, this.session), req.header, content, metadata));
  }

  private display(bundle: MimeBundle, options: DisplayOptions): void {
    const ctx = this.router.current();
    const parent = ctx?.parent ?? {};
    const { data, metadata } = splitBundle(bundle, options.metadata);
    const transient = options.displayId ? { display_id: options.displayId } : {};
    this.publish(options.update ? "update_display_data" : "display_data", { data, metadata, transient }, parent);
  }

  // ---- globals -------------------------------------------------------------------------------

  private installGlobals(): void {
    const sink = (bundle: MimeBundle, options: DisplayOptions) => this.display(bundle, options);
    const clear = (wait: boolean) => this.publish("clear_output", { wait }, this.router.current()?.parent ?? {});
    const g = globalThis as Record<string, unknown>;
    g.display = makeDisplay(sink, clear);
    g.clearOutput = (o: { wait?: boolean } = {}) => clear(!!o.wait);
    g.input = (prompt = "", o: { password?: boolean } = {}) => this.input(prompt, !!o.password);
    g.comms = this.comms.api();
    // CommonJS's module-scoped names, as in Node's REPL (resolved from the notebook's folder).
    g.require = this.loader.require;
    g.__dirname = this.cwd;
    g.__filename = path.join(this.cwd, "__notebook__.ts");
    Object.defineProperty(g, "cellSignal", { configurable: true, get: () => this.router.current()?.signal });
    g[RUNTIME] = {
      importModule: (s: string) => this.loader.importModule(s),
      defaultOf: (m: unknown) => this.loader.defaultOf(m),
      namespaceOf: (m: unknown) => this.loader.namespaceOf(m),
      named: (m: unknown, n: string) => this.loader.named(m, n),
    };
    installPreloadGlobals({
      display: sink,
      clearOutput: clear,
      signal: () => this.router.current()?.signal,
    });
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const ctx = this.router.current();
    if (!ctx || !ctx.allowStdin) {
      return Promise.reject(new Error(t("kernel:stdinNotAllowed")));
    }
    if (this.pendingInput) return Promise.reject(new Error(t("kernel:inputPending")));
    this.router.flush();
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      const frames = encode(this.signer, ctx.identities, newHeader("input_request", this.session), ctx.parent, { prompt, password });
      void this.stdinSender.send(frames);
    });
  }

  private onStdin(msg: Message): void {
    if (msg.header.msg_type !== "input_reply") return;
    const pending = this.pendingInput;
    this.pendingInput = undefined;
    pending?.resolve(String(msg.content.value ?? ""));
  }

  // ---- shell ---------------------------------------------------------------------------------

  private async onShell(msg: Message): Promise<void> {
    const type = msg.header.msg_type;
    if (type === "execute_request") {
      // Executions run one at a time, in order; the socket keeps being read meanwhile, so
      // completion, inspection and comm messages are answered while a cell runs.
      this.queue.push({ msg, resolve: () => undefined });
      void this.drain();
      return;
    }
    this.publish("status", { execution_state: "busy" }, msg.header);
    try {
      await this.handleRequest(this.shellSender, msg);
    } finally {
      this.publish("status", { execution_state: "idle" }, msg.header);
    }
  }

  private async onControl(frames: Buffer[]): Promise<void> {
    let msg: Message;
    try { msg = decode(frames, this.signer); } catch (e) { this.router.log(t("kernel:controlRefused", { reason: (e as Error).message })); return; }
    const send = (frames2: (Buffer | string)[]) => this.control.postMessage({ send: frames2 });
    const fakeSender = { send: async (f: (Buffer | string)[]) => send(f), flush: async () => undefined } as unknown as SerialSender;
    await this.handleRequest(fakeSender, msg);
  }

  private async handleRequest(sender: SerialSender, msg: Message): Promise<void> {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "kernel_info_request":
        await this.reply(sender, msg, "kernel_info_reply", this.kernelInfo());
        this.warmUp();
        return;
      case "complete_request":
        this.warmUp();
        await this.warm;
        return this.reply(sender, msg, "complete_reply", await this.complete(String(c.code ?? ""), Number(c.cursor_pos ?? 0)));
      case "inspect_request":
        this.warmUp();
        await this.warm;
        return this.reply(sender, msg, "inspect_reply", await this.inspect(String(c.code ?? ""), Number(c.cursor_pos ?? 0)));
      case "is_complete_request":
        return this.reply(sender, msg, "is_complete_reply", isComplete(String(c.code ?? "")));
      case "history_request":
        return this.reply(sender, msg, "history_reply", { status: "ok", history: this.history.query(c as never) });
      case "comm_info_request":
        return this.reply(sender, msg, "comm_info_reply", { status: "ok", comms: this.comms.info(c.target_name as string | undefined) });
      case "comm_open":
        return this.comms.handleOpen(c as never);
      case "comm_msg":
        return this.router.als.run(this.contextFor(msg), () => this.comms.handleMsg(c as never, msg.buffers));
      case "comm_close":
        return this.comms.handleClose(c as never);
      case "shutdown_request":
        await this.reply(sender, msg, "shutdown_reply", { status: "ok", restart: !!c.restart });
        this.publish("status", { execution_state: "idle" }, msg.header);
        setTimeout(() => this.shutdown(), 50);
        return;
      case "interrupt_request":
        this.interrupt();
        return this.reply(sender, msg, "interrupt_reply", { status: "ok" });
      case "usage_request":
        return this.reply(sender, msg, "usage_reply", { kernel_cpu: 0, kernel_memory: process.memoryUsage().rss });
      default:
        this.router.log(t("kernel:unknownMessage", { type: msg.header.msg_type }));
    }
  }

  private kernelInfo() {
    const backend = plannedBackend();
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "lepton",
      implementation_version: KERNEL_VERSION,
      language_info: {
        name: "typescript",
        version: TS_VERSION,
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true },
        pygments_lexer: "typescript",
      },
      banner: t("kernel:banner", { version: KERNEL_VERSION, ts: TS_VERSION, node: process.version, backend }),
      help_links: [
        { text: "Lepton Workbench", url: "https://github.com/lepton-workbench/lepton#readme" },
        { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
        { text: "TypeScript Handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      ],
    };
  }

  private async complete(code: string, cursorCodePoints: number) {
    const pos = codePointsToUtf16(code, cursorCodePoints);
    const globals = globalThis as unknown as Record<string, unknown>;
    const columns = completeColumns(code, pos, (name) => globals[name]);
    if (columns) {
      const start = utf16ToCodePoints(code, columns.start), end = utf16ToCodePoints(code, columns.end);
      return {
        status: "ok", matches: columns.matches, cursor_start: start, cursor_end: end,
        metadata: { _jupyter_types_experimental: columns.matches.map((text) => ({ start, end, text, type: "column" })) },
      };
    }
    const r = await this.engine.complete(code, pos);
    return {
      status: "ok",
      matches: r.matches,
      cursor_start: utf16ToCodePoints(code, r.start),
      cursor_end: utf16ToCodePoints(code, r.end),
      metadata: { _jupyter_types_experimental: r.types.map((t) => ({
        start: utf16ToCodePoints(code, r.start), end: utf16ToCodePoints(code, r.end), text: t.text, type: t.type,
      })) },
    };
  }

  private async inspect(code: string, cursorCodePoints: number) {
    const r = await this.engine.inspect(code, codePointsToUtf16(code, cursorCodePoints));
    return { status: "ok", found: r.found, data: r.found ? { "text/plain": r.text, "text/markdown": r.markdown } : {}, metadata: {} };
  }

  // ---- execution -----------------------------------------------------------------------------

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const item = this.queue.shift()!;
        try {
          await this.execute(item.msg);
        } catch (e) {
          this.router.log(t("kernel:executeFailed", { stack: (e as Error).stack }));
        }
        item.resolve();
      }
    } finally {
      this.running = false;
    }
  }

  private contextFor(msg: Message, signal: AbortSignal = new AbortController().signal): CellContext {
    return { parent: msg.header, signal, allowStdin: !!msg.content.allow_stdin, identities: msg.identities };
  }

  private async execute(msg: Message): Promise<void> {
    const c = msg.content as { code: string; silent?: boolean; store_history?: boolean; stop_on_error?: boolean };
    const code = String(c.code ?? "");
    const silent = !!c.silent;
    const storeHistory = c.store_history ?? !silent;
    this.publish("status", { execution_state: "busy" }, msg.header);
    if (!silent && storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, msg.header);

    const abort = new AbortController();
    const ctx = this.contextFor(msg, abort.signal);
    this.router.lastContext = ctx;
    let error: ErrorContent | undefined;
    let value: unknown;
    let hasValue = false;
    try {
      const result = await this.run(code, count, ctx, abort);
      if (result.error) error = result.error;
      else if (result.hasValue) { hasValue = true; value = result.value; }
    } finally {
      this.current = undefined;
      this.pruneForeignHandlers();
    }
    this.router.flush();

    let outputText: string | null = null;
    if (!error && hasValue && value !== undefined && !silent) {
      try {
        const bundle = bundleOf(value);
        const { data, metadata } = splitBundle(bundle);
        outputText = String(data["text/plain"] ?? "");
        this.publish("execute_result", { execution_count: count, data, metadata }, msg.header);
      } catch (e) {
        error = runtimeErrorContent(e, this.registry);
      }
    }
    if (storeHistory) this.history.add(count, code, outputText);
    if (error) {
      this.publish("error", error, msg.header);
      // Only requests that arrived before this reply are aborted; the client may send new ones
      // as soon as it sees the reply.
      const toAbort = (c.stop_on_error ?? true) ? this.queue.splice(0) : [];
      await this.reply(this.shellSender, msg, "execute_reply", { status: "error", execution_count: count, ...error }, { status: "error" });
      this.abortQueued(toAbort);
    } else {
      await this.reply(this.shellSender, msg, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} }, { status: "ok" });
    }
    this.publish("status", { execution_state: "idle" }, msg.header);
  }

  /** After an error, cells queued behind it are not run (stop_on_error), as in ipykernel. */
  private abortQueued(queued: Queued[]): void {
    for (const item of queued) {
      this.publish("status", { execution_state: "busy" }, item.msg.header);
      void this.reply(this.shellSender, item.msg, "execute_reply", { status: "aborted", execution_count: this.executionCount }, { status: "aborted" });
      this.publish("status", { execution_state: "idle" }, item.msg.header);
      item.resolve();
    }
  }

  private async run(code: string, count: number, ctx: CellContext, abort: AbortController):
    Promise<{ error?: ErrorContent; hasValue?: boolean; value?: unknown }> {
    const cellName = `cell[${count}]`;
    let interruptReject!: (e: Error) => void;
    const interrupted = new Promise<never>((_, reject) => { interruptReject = reject; });
    interrupted.catch(() => undefined);
    // Interruptible from here on: an interrupt during checking or warm-up stops the cell too.
    this.current = { abort, interrupt: interruptReject };
    this.warmUp();
    await this.warm;
    if (abort.signal.aborted) return { error: runtimeErrorContent(new Interrupted(), this.registry) };
    const checked = await this.engine.check(code, locale());
    if (!checked.ok) return { error: typeErrorContent(cellName, code, this.unassigned.explain(code, checked.diagnostics)) };
    for (const note of checked.notes ?? []) {
      const name = /['“‘]([^'”’]+)['”’]/.exec(note.message)?.[1] ?? "?";
      this.router.stream("stderr", `${t("kernel:untypedModule", { name, types: typesPackage(name) })}\n`, ctx.parent);
    }
    if (code.trim() === "") return {};
    await this.backendReady;
    if (abort.signal.aborted) return { error: runtimeErrorContent(new Interrupted(), this.registry) };
    const script = toScript(checked.js!);
    this.registry.add(cellName, {
      code,
      headerLength: script.headerLength,
      wrapperLine: script.code.split("\n").length,
      map: checked.sourceMap ? new SourceMap(JSON.parse(checked.sourceMap)) : undefined,
    });
    try {
      const compiled = new vm.Script(script.code, { filename: cellName });
      const promise = this.router.als.run(ctx, () => compiled.runInThisContext({ breakOnSigint: true })) as Promise<{ value: unknown } | undefined>;
      checked.commit!();
      const result = await Promise.race([promise, interrupted]);
      this.afterRun(cellName, checked.names!.declared, script.assigned, false);
      return result ? { hasValue: true, value: result.value } : {};
    } catch (e) {
      checked.commit!();
      this.afterRun(cellName, checked.names!.declared, script.assigned, true);
      if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") e = new Interrupted();
      return { error: runtimeErrorContent(e, this.registry) };
    }
  }

  private afterRun(cellName: string, declared: string[], assigned: string[], failed: boolean): void {
    const globals = globalThis as unknown as Record<string, unknown>;
    const forget = this.unassigned.afterRun(cellName, declared, assigned, failed, (n) => globals[n]);
    if (forget.length) void this.engine.forget(forget);
  }

  /** SIGINT (from Jupyter, or from an interrupt_request via the control thread). */
  private interrupt(): void {
    const cur = this.current;
    if (!cur) return;
    cur.abort.abort(new Interrupted());
    cur.interrupt(new Interrupted());
    if (this.pendingInput) {
      this.pendingInput.reject(new Interrupted());
      this.pendingInput = undefined;
    }
  }

  private readonly onUnhandledRejection = (reason: unknown) => this.reportStray(t("kernel:unhandledRejection"), reason);
  private readonly onUncaughtException = (err: unknown) => this.reportStray(t("kernel:uncaughtException"), err);

  /**
   * Emscripten's glue (tfjs-backend-wasm) adds process handlers that rethrow stray errors and so
   * kill the process; a kernel must outlive any cell's mistakes, so only ours stay.
   */
  private pruneForeignHandlers(): void {
    for (const [event, ours] of [["unhandledRejection", this.onUnhandledRejection], ["uncaughtException", this.onUncaughtException]] as const) {
      for (const l of process.listeners(event as "unhandledRejection")) {
        if (l !== ours) process.removeListener(event, l as never);
      }
    }
  }

  private reportStray(kind: string, reason: unknown): void {
    const ctx = this.router.current();
    const err = runtimeErrorContent(reason, this.registry);
    const text = `${kind}: ${err.traceback.join("\n")}\n`;
    if (ctx) this.router.stream("stderr", text, ctx.parent);
    else this.router.log(text);
  }

  private shutdown(): void {
    this.router.flush();
    void Promise.all([this.iopubSender.flush(), this.shellSender.flush()]).finally(() => {
      this.control.postMessage({ close: true });
      setTimeout(() => process.exit(0), 50);
    });
  }
}

/** Splits a MIME bundle into data and metadata; JSON types stay objects, others become text. */
function splitBundle(bundle: MimeBundle, extra: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(bundle)) {
    if (v === undefined) continue;
    data[mime] = mime.includes("json") || typeof v === "string" ? v : String(v);
  }
  if (data["text/plain"] === undefined) data["text/plain"] = "";
  return { data, metadata: { ...extra } };
}

/** DefinitelyTyped's name for a package's types: `lodash` -> `@types/lodash`, `@a/b` -> `@types/a__b`. */
function typesPackage(name: string): string {
  const pkg = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0];
  return `@types/${pkg.replace(/^@/, "").replace("/", "__")}`;
}

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings in UTF-16 units. */
export function codePointsToUtf16(text: string, cp: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= cp) break;
    units += ch.length;
    points++;
  }
  return units;
}

export function utf16ToCodePoints(text: string, units: number): number {
  return [...text.slice(0, units)].length;
}
