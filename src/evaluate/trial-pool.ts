/**
 * Runs search trials on worker threads: each worker loads the objective module once and takes
 * the next trial when it finishes one. Results are keyed by trial index, so the order in which
 * workers finish does not matter. An interrupt terminates the workers and keeps the finished
 * trials; a failing trial or a worker that dies rejects (never hangs).
 */
import type { Worker } from "node:worker_threads";
import { LeptonError } from "../i18n/index";
import { activeBackend } from "../backend/resolve";
import { startModuleWorker } from "../backend/worker-start";
import type { ObjectiveModule } from "./objective-module";
import { modulePath } from "./objective-module";
import type { Params } from "./search";
import type { TrialReply, TrialRequest, WorkerSetup } from "./trial-worker";

/** What the pool returns: the value of each finished trial by index, and whether it was stopped. */
export interface PoolOutcome {
  values: Map<number, unknown>;
  stopped: boolean;
}

function startWorker(setup: WorkerSetup): Worker {
  return startModuleWorker(__filename, "trial-worker", { ...setup });
}

function failure(reply: Extract<TrialReply, { kind: "error" }>, file: string): LeptonError {
  if (reply.code && reply.code.includes(":")) return new LeptonError(reply.code, reply.values ?? {});
  return reply.index < 0
    ? new LeptonError("evaluate:objectiveModuleFailed", { module: file, message: reply.message })
    : new LeptonError("evaluate:trialFailed", { trial: reply.index + 1, message: reply.message });
}

/** Runs `plan` (trial `i` with `seeds[i]`) on `workers` threads. */
export function runOnWorkers(plan: Params[], seeds: number[], objective: ObjectiveModule, workers: number, signal?: AbortSignal): Promise<PoolOutcome> {
  const file = modulePath(objective);
  const setup: WorkerSetup = { objective: { module: file, export: objective.export }, backend: activeBackend() };
  const values = new Map<number, unknown>();
  return new Promise<PoolOutcome>((resolve, reject) => {
    const pool: Worker[] = [];
    const running = new Map<Worker, number>();
    let next = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve({ values, stopped: values.size < plan.length });
    };
    const dispatch = (w: Worker) => {
      if (signal?.aborted) return finish();
      if (next >= plan.length) {
        if (running.size === 0) finish();
        return;
      }
      const index = next++;
      running.set(w, index);
      const req: TrialRequest = { index, total: plan.length, params: plan[index], seed: seeds[index] };
      w.postMessage(req);
    };
    const onAbort = () => finish();
    signal?.addEventListener("abort", onAbort);
    for (let i = 0; i < Math.min(workers, plan.length); i++) {
      const w = startWorker(setup);
      pool.push(w);
      w.on("message", (reply: TrialReply) => {
        if (reply.kind === "error") return finish(failure(reply, file));
        if (reply.kind === "result") {
          values.set(reply.index, reply.value);
          running.delete(w);
        }
        dispatch(w);
      });
      w.on("error", (err) => finish(new LeptonError("evaluate:trialFailed", { trial: (running.get(w) ?? -1) + 1, message: err.message })));
      w.on("exit", (code) => {
        if (!settled) finish(new LeptonError("evaluate:workerExited", { code, trial: (running.get(w) ?? -1) + 1 }));
      });
    }
    if (plan.length === 0) finish();
  });
}
