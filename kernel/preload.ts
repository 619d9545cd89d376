/**
 * What every cell starts with: `lepton` (the library), `tf` (TensorFlow.js) and `dfd`
 * (danfojs-node), as lazily loaded globals (start-up stays fast: nothing heavy loads until a cell
 * touches it) with full types for the checker.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const LIB = path.join(ROOT, "dist", "src", "index.js");

function typesOf(pkg: string): string {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }));
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { types?: string; typings?: string };
  return path.join(dir, (meta.types ?? meta.typings ?? "index.d.ts").replace(/\.d\.ts$/, ""));
}

/** The preloaded names for the type checker: name -> [import clause, module path]. */
export function preloadTypes(): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {
    lepton: ["* as __m", LIB.replace(/\.js$/, "")],
    tf: ["* as __m", typesOf("@tensorflow/tfjs")],
  };
  try {
    out.dfd = ["* as __m", typesOf("danfojs-node")];
  } catch {
    // danfojs-node is optional for the kernel itself.
  }
  return out;
}

let library: Record<string, any> | undefined;
function lib(): Record<string, any> {
  library ??= require(LIB) as Record<string, any>;
  return library;
}

export interface HostHooks {
  display(bundle: Record<string, unknown>, options: Record<string, unknown>): void;
  clearOutput(wait: boolean): void;
  signal(): AbortSignal | undefined;
}

/** Defines the lazy globals and tells the library it runs under a notebook host. */
export function installPreloadGlobals(hooks: HostHooks): void {
  const g = globalThis as Record<string | symbol, unknown>;
  g[Symbol.for("lepton.host")] = {
    name: "lepton-kernel",
    display: (bundle: Record<string, unknown>, options: Record<string, unknown> = {}) => hooks.display(bundle, options),
    clearOutput: (wait = false) => hooks.clearOutput(wait),
    signal: () => hooks.signal(),
  };
  const lazy = (name: string, load: () => unknown) => {
    Object.defineProperty(g, name, {
      configurable: true,
      enumerable: false,
      get() {
        const value = load();
        Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
        return value;
      },
      set(value) {
        Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
      },
    });
  };
  lazy("lepton", () => lib());
  lazy("tf", () => require(require.resolve("@tensorflow/tfjs", { paths: [ROOT] })));
  lazy("dfd", () => require(require.resolve("danfojs-node", { paths: [ROOT] })));
}

/** The backend `lepton.backend.ready()` will choose, without loading TensorFlow.js. */
export function plannedBackend(): string {
  try {
    const plan = require(path.join(ROOT, "dist", "src", "backend", "resolve.js")) as { plannedBackend?: () => string };
    if (typeof plan.plannedBackend === "function") return plan.plannedBackend();
  } catch {
    // fall through
  }
  return process.env.LEPTON_BACKEND ?? "wasm";
}

/** Starts the compute backend in the background (wasm compiles in a few hundred ms). */
export async function startBackend(): Promise<unknown> {
  const backend = lib().backend as { ready?: () => Promise<unknown> } | undefined;
  return typeof backend?.ready === "function" ? backend.ready() : undefined;
}
