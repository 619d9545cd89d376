/**
 * The worker-thread side of a parallel search: sets up its own tfjs backend (each thread has its
 * own tfjs engine and WebAssembly instance), loads the objective module, then runs the trials the
 * main thread sends, one at a time, each after `lepton.seed(trial seed)` as the main thread would.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ready, type BackendName } from "../backend/resolve";
import { seed } from "../backend/random";
import { loadObjective, type ObjectiveModule } from "./objective-module";
import type { Params, TrialInfo } from "./search";

/** What the main thread gives each worker when starting it. */
export interface WorkerSetup {
  objective: ObjectiveModule;
  backend?: BackendName;
}

/** One trial to run. */
export interface TrialRequest {
  index: number;
  total: number;
  params: Params;
  seed: number;
}

/** What a worker reports. `index` -1 is a failure before any trial (backend, module). */
export type TrialReply =
  | { kind: "ready" }
  | { kind: "result"; index: number; value: unknown }
  | { kind: "error"; index: number; message: string; code?: string; values?: Record<string, unknown> };

function errorReply(index: number, err: unknown): TrialReply {
  const e = err as { message?: string; code?: string; values?: Record<string, unknown> };
  return { kind: "error", index, message: e?.message ?? String(err), code: typeof e?.code === "string" ? e.code : undefined, values: e?.values };
}

function post(reply: TrialReply): void {
  try {
    parentPort!.postMessage(reply);
  } catch (err) {
    // A result that cannot be copied to another thread (a tensor, a function) is the objective's error.
    parentPort!.postMessage(errorReply(reply.kind === "ready" ? -1 : reply.index, err));
  }
}

async function serve(setup: WorkerSetup): Promise<void> {
  let objective: (params: Params, info: TrialInfo) => unknown;
  try {
    await ready({ backend: setup.backend });
    objective = loadObjective(setup.objective);
  } catch (err) {
    post(errorReply(-1, err));
    return;
  }
  parentPort!.on("message", async (req: TrialRequest) => {
    try {
      seed(req.seed);
      const value = await objective(req.params, { trial: req.index, total: req.total, seed: req.seed });
      post({ kind: "result", index: req.index, value });
    } catch (err) {
      post(errorReply(req.index, err));
    }
  });
  post({ kind: "ready" });
}

if (parentPort) void serve(workerData as WorkerSetup);
