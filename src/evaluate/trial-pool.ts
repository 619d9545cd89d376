/**
 * Runs search trials on worker threads: each worker loads the objective module once and takes
 * the next trial when it finishes one. Results are keyed by trial index, so the order in which
 * workers finish does not matter. An interrupt terminates the workers and keeps the finished
 * trials; a failing trial or a worker that dies rejects (never hangs).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { currentBackend, type BackendName } from "../backend/resolve";
import type { ObjectiveModule } from "./objective-module";
import { modulePath } from "./objective-module";
import type { Params } from "./search";
import type { TrialReply, TrialRequest, WorkerSetup } from "./trial-worker";

/** What the pool returns: the value of each finished trial by index, and whether it was stopped. */
export interface PoolOutcome {
  values: Map<number, unknown>;
  stopped: boolean;
}

const TFJS_TO_LEPTON: Record<string, BackendName> = { tensorflow: "node", wasm: "wasm", cpu: "cpu" };

/**
 * The backend the main thread computes on right now, so that workers compute exactly as it would:
 * tfjs's active one (code may have called tf.setBackend after lepton's ready()), with lepton's
 * record only to tell tfjs-node-gpu from tfjs-node.
 */
function mainBackend(): BackendName | undefined {
  const active = tf.getBackend();
  const recorded = currentBackend();
  if (recorded && recorded.tfjsBackend === active) return recorded.backend;
  return TFJS_TO_LEPTON[active];
}

function startWorker(setup: WorkerSetup): Worker {
  const entry = path.join(__dirname, `trial-worker${path.extname(__filename)}`);
  if (!entry.endsWith(".ts")) return new Worker(entry, { workerData: setup });
  // Running from TypeScript sources (tests, ts-node): the worker registers ts-node before loading its entry.
  const boot = [
    "const { workerData } = require('node:worker_threads');",
    "require(workerData.tsNode).register({ transpileOnly: true, compilerOptions: { module: 'commonjs', moduleResolution: 'node' } });",
    "require(workerData.entry);",
  ].join("\n");
  return new Worker(boot, { eval: true, workerData: { ...setup, entry, tsNode: require.resolve("ts-node") } });
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
  const setup: WorkerSetup = { objective: { module: file, export: objective.export }, backend: mainBackend() };
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
