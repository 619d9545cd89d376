/**
 * Runs a notebook top to bottom on a fresh kernel, papermill-style: injects the parameters,
 * executes each code cell, stops at the first error, and always writes the output notebook with
 * what ran, what failed and the environment it ran in.
 */
import * as path from "node:path";
import { LeptonError, t } from "../i18n/index";
import { NotebookOutputs } from "./cell-outputs";
import { dataHashes, ENV_PROBE, installedVersions, parseProbe, type KernelEnvironment } from "./environment";
import { kernelCommand } from "./kernel-spec";
import { KernelSession, type ExecuteStatus } from "./kernel-session";
import {
  cellSource, cellTags, firstLine, injectParametersCell, PARAMETERS_TAG, readNotebook, writeNotebook, type Notebook,
} from "./notebook";
import { injectedSource, parameterDefaults, resolveParameters, type ParameterDefault } from "./parameters";

/** Options of {@link runNotebook}. */
export interface RunOptions {
  /** Where to write the executed notebook (`-` for stdout); nothing is written when omitted. */
  output?: string;
  /** Typed parameter values (from an API call or a JSON file). */
  parameters?: Record<string, unknown>;
  /** Parameter values as text (from `-p name=value`), typed like papermill does. */
  textParameters?: Record<string, string>;
  /** The kernel's working folder; the notebook's folder by default (as Jupyter does). */
  cwd?: string;
  /** Seconds a cell may run before it is interrupted and the run fails; 0 = no limit. */
  timeoutPerCell?: number;
  /** Kernel name: `lepton` (default, or the notebook's kernelspec) or an installed TypeScript kernelspec. */
  kernel?: string;
  /** Extra environment variables for the kernel. */
  env?: NodeJS.ProcessEnv;
  /** Called after each code cell. */
  onCell?: (event: CellEvent) => void;
  /** Called with each stream text the cells print (for `--log-output`). */
  onStream?: (name: string, text: string) => void;
  /** Called for each warning (unknown parameter, no parameters cell). */
  onWarning?: (message: string) => void;
  /** Aborting interrupts the running cell and ends the run (the output is still written). */
  signal?: AbortSignal;
}

/** One executed code cell. */
export interface CellEvent {
  /** Index of the cell in the notebook (all cells counted, from 0). */
  index: number;
  /** 1-based position among the code cells that run, and how many there are. */
  position: number;
  total: number;
  firstLine: string;
  status: ExecuteStatus;
  seconds: number;
}

/** Where and why a run stopped. */
export interface RunFailure {
  /** Index of the failing cell (all cells counted, from 0); -1 when the kernel did not start. */
  cell: number;
  firstLine: string;
  ename: string;
  evalue: string;
}

/** What `metadata.lepton` of the output notebook holds. */
export interface RunRecord {
  input: string;
  kernel: string;
  cwd: string;
  start: string;
  end?: string;
  seconds?: number;
  status: "running" | "completed" | "failed";
  /** The parameters injected this run. */
  parameters: Record<string, unknown>;
  /** The defaults the parameters cell declares (literal values only). */
  defaults: Record<string, unknown>;
  seed?: number;
  backend?: string;
  tfjsBackend?: string;
  versions: Record<string, string>;
  data: Record<string, string>;
  error?: RunFailure;
}

/** The outcome of {@link runNotebook}. */
export interface RunResult {
  ok: boolean;
  notebook: Notebook;
  record: RunRecord;
  failure?: RunFailure;
}

function injectedRecord(defaults: ParameterDefault[]): Record<string, unknown> {
  return Object.fromEntries(defaults.filter((d) => "value" in d).map((d) => [d.name, d.value]));
}

/**
 * Runs a notebook headless on a fresh kernel with parameters, as `npx lepton run` does.
 *
 * @example
 * ```ts
 * const result = await lepton.run.runNotebook("notebooks/02-training.ipynb", {
 *   parameters: { epochs: 1, seed: 7 }, output: "/tmp/02-out.ipynb",
 * });
 * result.ok;                 // false when a cell failed: see result.failure
 * result.record.data;        // { "datasets/mnist/t10k-images-idx3-ubyte.gz": "sha256:…", … }
 * ```
 */
export async function runNotebook(input: string, options: RunOptions = {}): Promise<RunResult> {
  const file = path.resolve(input);
  const nb = readNotebook(file);
  const warn = options.onWarning ?? (() => undefined);
  const paramsCell = nb.cells.find((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG));
  const defaults = paramsCell ? parameterDefaults(cellSource(paramsCell)) : [];
  const injected = resolveParameters(defaults, options.parameters ?? {}, options.textParameters ?? {});
  if (injected.length > 0) {
    if (!paramsCell) warn(t("run:noParametersCell", { path: input }));
    for (const p of injected) {
      if (paramsCell && !defaults.some((d) => d.name === p.name)) warn(t("run:unknownParameter", { name: p.name, names: defaults.map((d) => d.name).join(", ") }));
    }
    injectParametersCell(nb, injectedSource(injected, t("run:injectedComment")));
  }
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }

  const cwd = path.resolve(options.cwd ?? path.dirname(file));
  const kernelName = options.kernel ?? (nb.metadata.kernelspec?.name as string | undefined) ?? "lepton";
  const parameters = Object.fromEntries(injected.map((p) => [p.name, p.value]));
  const effective = { ...injectedRecord(defaults), ...parameters };
  const started = new Date();
  const record: RunRecord = {
    input: file,
    kernel: kernelName,
    cwd,
    start: started.toISOString(),
    status: "running",
    parameters,
    defaults: injectedRecord(defaults),
    ...(typeof effective.seed === "number" ? { seed: effective.seed } : {}),
    versions: installedVersions(),
    data: dataHashes(nb, cwd),
  };
  nb.metadata.lepton = record;
  // Written after every cell (a run cut short still leaves its outputs), except to stdout: once, at the end.
  const save = (final = false) => { if (options.output && (final || options.output !== "-")) writeNotebook(options.output, nb); };

  let failure: RunFailure | undefined;
  let kernel: KernelSession | undefined;
  try {
    kernel = await KernelSession.start(kernelCommand(kernelName).argv, cwd, options.env);
  } catch (e) {
    failure = { cell: -1, firstLine: "", ename: e instanceof LeptonError ? e.code : (e as Error).name, evalue: (e as Error).message };
  }

  const onAbort = () => void kernel?.interrupt();
  options.signal?.addEventListener("abort", onAbort);
  try {
    if (kernel) {
      // The kernel's first cell pays for starting the type checker; paying it here keeps that
      // out of the first cell's time (and its --timeout-per-cell).
      await kernel.execute("void 0;", () => undefined, 0, false);
      failure = await executeCells(nb, kernel, options, save);
    }
    if (kernel?.alive()) {
      let text = "";
      await kernel.execute(ENV_PROBE, (m) => { if (m.header.msg_type === "stream") text += m.content.text; }, 60_000, false);
      const env: KernelEnvironment | undefined = parseProbe(text);
      if (env) {
        record.backend = env.backend;
        record.tfjsBackend = env.tfjsBackend;
        if (record.seed === undefined && env.seed !== null) record.seed = env.seed;
        record.versions = { ...record.versions, ...env.versions, lepton: env.lepton };
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await kernel?.shutdown();
    const ended = new Date();
    record.end = ended.toISOString();
    record.seconds = (ended.getTime() - started.getTime()) / 1000;
    record.status = failure ? "failed" : "completed";
    if (failure) record.error = failure;
    save(true);
  }
  return { ok: !failure, notebook: nb, record, ...(failure ? { failure } : {}) };
}

async function executeCells(nb: Notebook, kernel: KernelSession, options: RunOptions, save: () => void): Promise<RunFailure | undefined> {
  const outputs = new NotebookOutputs();
  const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code" && cellSource(c).trim() !== "");
  for (const [n, { c: cell, i: index }] of code.entries()) {
    const collector = outputs.forCell(cell.outputs!);
    const t0 = Date.now();
    const begun = new Date().toISOString();
    const outcome = await kernel.execute(cellSource(cell), (m) => {
      if (m.header.msg_type === "execute_input") cell.execution_count = m.content.execution_count ?? null;
      if (m.header.msg_type === "stream") options.onStream?.(String(m.content.name), String(m.content.text));
      collector.add(m);
    }, (options.timeoutPerCell ?? 0) * 1000);
    cell.execution_count = outcome.reply?.execution_count ?? cell.execution_count ?? null;
    cell.metadata.execution = { "iopub.execute_input": begun, "shell.execute_reply": new Date().toISOString() };
    const seconds = (Date.now() - t0) / 1000;
    options.onCell?.({ index, position: n + 1, total: code.length, firstLine: firstLine(cell), status: outcome.status, seconds });
    let error: { ename: string; evalue: string } | undefined;
    if (outcome.status === "timeout") {
      error = { ename: "CellTimeoutError", evalue: t("run:cellTimeout", { seconds: options.timeoutPerCell }) };
      collector.add({ header: { msg_type: "error" } as never, parent_header: {}, metadata: {}, content: { ...error, traceback: [error.evalue] } });
    } else if (outcome.status === "died") {
      error = { ename: "DeadKernelError", evalue: t("run:kernelDied", { log: kernel.log() }) };
      collector.add({ header: { msg_type: "error" } as never, parent_header: {}, metadata: {}, content: { ...error, traceback: [error.evalue] } });
    } else if (outcome.status !== "ok") {
      error = { ename: String(outcome.reply?.ename ?? "Error"), evalue: String(outcome.reply?.evalue ?? outcome.status) };
    }
    save();
    if (error) return { cell: index, firstLine: firstLine(cell), ...error };
    if (options.signal?.aborted) return { cell: index, firstLine: firstLine(cell), ename: "Interrupted", evalue: t("run:interrupted") };
  }
  return undefined;
}
