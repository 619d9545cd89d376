/**
 * Starting a worker thread on one of lepton's own modules, from the compiled JavaScript (dist/)
 * or, in tests and ts-node sessions, from the TypeScript sources (ts-node registered first).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Starts `<dir>/<name>.js` (or `.ts` beside a TypeScript caller) on a worker thread with
 * `workerData`; `fromFile` is the caller's `__filename`, which says which of the two applies.
 *
 * @example
 * ```ts
 * const worker = startModuleWorker(__filename, "trial-worker", { objective });
 * ```
 */
export function startModuleWorker(fromFile: string, name: string, workerData: Record<string, unknown>): Worker {
  const entry = path.join(path.dirname(fromFile), `${name}${path.extname(fromFile)}`);
  if (!entry.endsWith(".ts")) return new Worker(entry, { workerData });
  const boot = [
    "const { workerData } = require('node:worker_threads');",
    "require(workerData.tsNode).register({ transpileOnly: true, compilerOptions: { module: 'commonjs', moduleResolution: 'node' } });",
    "require(workerData.entry);",
  ].join("\n");
  return new Worker(boot, { eval: true, workerData: { ...workerData, entry, tsNode: require.resolve("ts-node") } });
}
