/**
 * The TypeScript engine on its own thread. Parsing and binding the library's declarations takes
 * seconds on a busy machine; on this thread it overlaps with the main thread loading the library
 * and the compute backend, and the protocol never stalls behind a type check.
 */
import { parentPort, workerData } from "node:worker_threads";
import { TypeScriptEngine, type CheckResult, type EngineOptions } from "./typescript-engine";

const engine = new TypeScriptEngine(workerData as EngineOptions);
let pending: CheckResult | undefined;

type Request =
  | { id: number; op: "warmUp" }
  | { id: number; op: "check"; code: string; locale: string }
  | { id: number; op: "commit" }
  | { id: number; op: "forget"; names: string[] }
  | { id: number; op: "complete"; code: string; pos: number }
  | { id: number; op: "inspect"; code: string; pos: number };

parentPort!.on("message", (req: Request) => {
  try {
    let result: unknown;
    switch (req.op) {
      case "warmUp":
        engine.warmUp();
        break;
      case "check": {
        engine.setLocale(req.locale);
        const r = engine.check(req.code);
        pending = r.ok ? r : undefined;
        const { commit: _commit, ...plain } = r;
        result = plain;
        break;
      }
      case "commit":
        pending?.commit?.();
        pending = undefined;
        break;
      case "forget":
        engine.forget(req.names);
        break;
      case "complete":
        result = engine.complete(req.code, req.pos);
        break;
      case "inspect":
        result = engine.inspect(req.code, req.pos);
        break;
    }
    parentPort!.postMessage({ id: req.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) });
  }
});
