/**
 * Backend resolution: tfjs-node-gpu (CUDA) -> tfjs-node (native CPU) -> wasm (SIMD) -> cpu (pure JS).
 *
 * `LEPTON_BACKEND=gpu|node|wasm|cpu` forces one; if it cannot be used the error says why. The wasm
 * package is loaded lazily: importing it registers the "wasm" backend with a higher priority than
 * "cpu", and tfjs would then auto-select an uninitialised async backend for code that never called
 * `ready()`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { LeptonError, t } from "../i18n/index";
import { registerWasmTrainingKernels } from "./kernels/register";
import { eagerWasmTierUp } from "./wasm-tiering";

/** Lepton's names for the compute backends, fastest first. */
export type BackendName = "gpu" | "node" | "wasm" | "cpu";

/** The order in which `ready()` tries backends when none is forced. */
export const BACKEND_ORDER: readonly BackendName[] = ["gpu", "node", "wasm", "cpu"];

const NATIVE_PACKAGES = { gpu: "@tensorflow/tfjs-node-gpu", node: "@tensorflow/tfjs-node" } as const;
const WASM_PACKAGE = "@tensorflow/tfjs-backend-wasm";
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"];

/** A backend that was not used, and why (localised). */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

/** What `ready()` chose. */
export interface BackendReport {
  /** Lepton's name of the backend in use. */
  backend: BackendName;
  /** The tfjs backend name ("tensorflow", "wasm" or "cpu"). */
  tfjsBackend: string;
  /** True when LEPTON_BACKEND (or the `backend` option) forced the choice. */
  forced: boolean;
  /** Whether the wasm module uses SIMD (undefined for other backends). */
  simd?: boolean;
  /** Threads the backend computes with. */
  threads: number;
  /** Faster backends that were tried and could not be used. */
  skipped: SkippedBackend[];
}

interface Unavailable {
  key: string;
  values: Record<string, unknown>;
}

type WasmModule = typeof import("@tensorflow/tfjs-backend-wasm");

/** Parses LEPTON_BACKEND; throws a localised error for unknown values. */
export function requestedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = env.LEPTON_BACKEND?.trim().toLowerCase();
  if (!raw) return undefined;
  if ((BACKEND_ORDER as readonly string[]).includes(raw)) return raw as BackendName;
  throw new LeptonError("backend:unknownBackend", { value: env.LEPTON_BACKEND });
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}

/** Cheap check (no loading) that a real native package is installed. */
function nativeInstalled(name: "gpu" | "node"): Unavailable | undefined {
  const pkg = NATIVE_PACKAGES[name];
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    return { key: "backend:reasonNotInstalled", values: { pkg } };
  }
  const meta = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
  // package.json overrides alias @tensorflow/tfjs-node to plain tfjs: same path, different name.
  if (meta.name !== pkg) return { key: "backend:reasonAliased", values: { pkg } };
  return undefined;
}

/** Loads a native package and checks that it registered the "tensorflow" backend. */
function loadNative(name: "gpu" | "node"): Unavailable | undefined {
  const missing = nativeInstalled(name);
  if (missing) return missing;
  const pkg = NATIVE_PACKAGES[name];
  try {
    require(pkg);
  } catch (err) {
    return { key: "backend:reasonLoadFailed", values: { pkg, detail: firstLine(err) } };
  }
  if (!tf.findBackendFactory("tensorflow")) return { key: "backend:reasonNoBackend", values: { pkg } };
  return undefined;
}

/** The folder holding the wasm binaries, with a trailing separator as setWasmPaths expects. */
export function wasmDir(): string {
  return path.dirname(require.resolve(`${WASM_PACKAGE}/package.json`)) + path.sep + "dist" + path.sep;
}

function wasmFilesPresent(): Unavailable | undefined {
  let dir: string;
  try {
    dir = wasmDir();
  } catch {
    return { key: "backend:reasonNotInstalled", values: { pkg: WASM_PACKAGE } };
  }
  if (!WASM_FILES.every((f) => fs.existsSync(dir + f))) return { key: "backend:reasonWasmFiles", values: { dir } };
  return undefined;
}

let wasmModule: WasmModule | undefined;
/** Loads tfjs-backend-wasm (registering the "wasm" backend) and points it at the files on disk. */
export function loadWasm(): WasmModule {
  if (!wasmModule) {
    eagerWasmTierUp(); // before tfjs-backend-wasm compiles its module (wasm-tiering.ts)
    wasmModule = require(WASM_PACKAGE) as WasmModule;
    wasmModule.setWasmPaths(wasmDir());
    registerWasmTrainingKernels();
  }
  return wasmModule;
}

/**
 * Which backend `ready()` will pick, decided cheaply (no tfjs initialisation, no native loading):
 * the one in use once `ready()` has run, else the forced one, else the first installed one.
 *
 * @example
 * ```ts
 * lepton.backend.plannedBackend(); // "wasm"
 * ```
 */
export function plannedBackend(): BackendName {
  if (current) return current.backend;
  let forced: BackendName | undefined;
  try {
    forced = requestedBackend();
  } catch {
    forced = undefined;
  }
  if (forced) return forced;
  if (!nativeInstalled("gpu")) return "gpu";
  if (!nativeInstalled("node")) return "node";
  if (!wasmFilesPresent()) return "wasm";
  return "cpu";
}

async function activate(name: BackendName): Promise<Unavailable | undefined> {
  if (name === "gpu" || name === "node") {
    const why = loadNative(name);
    if (why) return why;
  } else if (name === "wasm") {
    const why = wasmFilesPresent();
    if (why) return why;
    loadWasm();
  }
  const tfjsName = tfjsNameOf(name);
  try {
    const ok = await tf.setBackend(tfjsName);
    if (!ok) return { key: "backend:reasonInitFailed", values: { detail: tfjsName } };
    await tf.ready();
  } catch (err) {
    return { key: "backend:reasonInitFailed", values: { detail: firstLine(err) } };
  }
  return undefined;
}

function tfjsNameOf(name: BackendName): string {
  return name === "gpu" || name === "node" ? "tensorflow" : name;
}

async function describe(name: BackendName, forced: boolean, skipped: SkippedBackend[]): Promise<BackendReport> {
  let simd: boolean | undefined;
  let threads = 1;
  if (name === "wasm") {
    simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    const threaded = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    threads = threaded ? loadWasm().getThreadsCount() : 1;
  } else if (name === "gpu" || name === "node") {
    threads = (await import("node:os")).cpus().length;
  }
  return { backend: name, tfjsBackend: tf.getBackend(), forced, simd, threads, skipped };
}

let current: BackendReport | undefined;
let pending: Promise<BackendReport> | undefined;

/** Options for {@link ready}. */
export interface ReadyOptions {
  /** Use this backend instead of LEPTON_BACKEND / automatic choice (errors if unavailable). */
  backend?: BackendName;
}

async function resolve(options: ReadyOptions): Promise<BackendReport> {
  const forced = options.backend ?? requestedBackend();
  if (forced) {
    const why = await activate(forced);
    if (why) {
      throw new LeptonError("backend:unavailable", { backend: forced, reason: t(why.key, why.values), ...why.values });
    }
    return describe(forced, true, []);
  }
  const skipped: SkippedBackend[] = [];
  for (const name of BACKEND_ORDER) {
    const why = await activate(name);
    if (!why) return describe(name, false, skipped);
    skipped.push({ backend: name, reason: t(why.key, why.values) });
  }
  // cpu is always registered by @tensorflow/tfjs, so the loop returns before this line.
  throw new LeptonError("backend:unavailable", { backend: "cpu", reason: skipped.map((s) => s.reason).join(" ") });
}

/**
 * Chooses and initialises the compute backend (idempotent): tfjs-node-gpu, then tfjs-node, then
 * wasm (with lepton's training kernels registered), then cpu. `LEPTON_BACKEND=gpu|node|wasm|cpu`
 * or `options.backend` forces one and throws a localised error saying why it is unavailable.
 *
 * @example
 * ```ts
 * const report = await lepton.backend.ready();
 * report.backend; // "wasm"
 * await lepton.backend.ready({ backend: "cpu" }); // switch explicitly
 * ```
 */
export async function ready(options: ReadyOptions = {}): Promise<BackendReport> {
  const wanted = options.backend;
  if (current && (!wanted || wanted === current.backend)) {
    // Someone may have called tf.setBackend behind our back: restore the chosen one.
    if (tf.getBackend() !== current.tfjsBackend) await tf.setBackend(current.tfjsBackend);
    return current;
  }
  if (pending && !wanted) return pending;
  const run = resolve(options).then(
    (report) => {
      current = report;
      pending = undefined;
      return report;
    },
    (err) => {
      pending = undefined;
      throw err;
    },
  );
  pending = run;
  return run;
}

/** The report of the last successful `ready()`, if any. */
export function currentBackend(): BackendReport | undefined {
  return current;
}

const TFJS_TO_LEPTON: Record<string, BackendName> = { tensorflow: "node", wasm: "wasm", cpu: "cpu" };

/**
 * The backend this thread computes on right now, for worker threads that must compute exactly as
 * it does: tfjs's active one (code may have called tf.setBackend after `ready()`), with lepton's
 * record only to tell tfjs-node-gpu from tfjs-node.
 *
 * @example
 * ```ts
 * new Worker(file, { workerData: { backend: lepton.backend.activeBackend() } });
 * ```
 */
export function activeBackend(): BackendName | undefined {
  const active = tf.getBackend();
  if (current && current.tfjsBackend === active) return current.backend;
  return TFJS_TO_LEPTON[active];
}
