/**
 * Sends stdout/stderr, displays and clear_output to the cell that produced them. Each cell runs
 * in an AsyncLocalStorage context, so output from timers and promises that outlive the cell still
 * goes to the cell that started them.
 */
import { t } from "../../src/i18n/index";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Header } from "../../src/jupyter/wire";

export interface CellContext {
  parent: Header;
  signal: AbortSignal;
  allowStdin: boolean;
  identities: Buffer[];
}

export type Publish = (msgType: string, content: unknown, parent: Partial<Header>, metadata?: Record<string, unknown>) => void;

export class OutputRouter {
  readonly als = new AsyncLocalStorage<CellContext>();
  /** The context of the last cell, for output that comes from outside any cell context. */
  lastContext: CellContext | undefined;
  private pending = new Map<string, { parent: Partial<Header>; text: string }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly originals: { stdout: typeof process.stdout.write; stderr: typeof process.stderr.write };

  constructor(private readonly publish: Publish) {
    this.originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  }

  current(): CellContext | undefined {
    return this.als.getStore() ?? this.lastContext;
  }

  /** Replaces process.stdout/stderr writes so `console.log` reaches the notebook. */
  capture(): void {
    for (const name of ["stdout", "stderr"] as const) {
      const stream = process[name];
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const ctx = this.current();
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString((typeof encoding === "string" ? encoding : "utf8") as BufferEncoding);
        if (!ctx) return this.originals[name](text);
        this.stream(name, text, ctx.parent);
        const callback = typeof encoding === "function" ? encoding : cb;
        if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
        return true;
      }) as typeof stream.write;
    }
  }

  /** Writes to the real stderr (the Jupyter server's log), never to a cell. */
  log(text: string): void {
    this.originals.stderr(`${t("kernel:log", { text })}\n`);
  }

  stream(name: "stdout" | "stderr", text: string, parent: Partial<Header>): void {
    const key = `${name}:${parent.msg_id}`;
    const prev = this.pending.get(key);
    if (prev) prev.text += text;
    else this.pending.set(key, { parent, text });
    // Coalesce bursts of small writes into one message, but never hold output for long.
    this.timer ??= setTimeout(() => this.flush(), 20);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (const [key, { parent, text }] of entries) {
      this.publish("stream", { name: key.split(":")[0], text }, parent);
    }
  }
}
