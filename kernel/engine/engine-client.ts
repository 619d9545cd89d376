/** The main thread's handle on the engine thread (engine-worker.ts): the same calls, awaited. */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { t } from "../../src/i18n/index";
import type { CheckResult, Completion, EngineOptions, Inspection } from "./typescript-engine";

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(options: EngineOptions) {
    this.worker = new Worker(path.join(__dirname, "engine-worker.js"), { workerData: options });
    this.worker.unref();
    this.worker.on("message", (m: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(t("kernel:checkerFailed", { detail: m.error })));
      else w.resolve(m.result);
    });
    this.worker.on("error", (e) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    });
  }

  private call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, ...args });
    });
  }

  warmUp(): Promise<void> {
    return this.call("warmUp");
  }

  /** Type-checks and emits a cell; `commit()` then carries its declarations into later cells. */
  async check(code: string, locale: string): Promise<CheckResult> {
    const r = await this.call<CheckResult>("check", { code, locale });
    return r.ok ? { ...r, commit: () => void this.call("commit") } : r;
  }

  /** Forgets names a failed cell declared but never assigned; later cells no longer see them. */
  forget(names: string[]): Promise<void> {
    return this.call("forget", { names });
  }

  complete(code: string, pos: number): Promise<Completion> {
    return this.call("complete", { code, pos });
  }

  inspect(code: string, pos: number): Promise<Inspection> {
    return this.call("inspect", { code, pos });
  }
}
