/**
 * Hyperparameter search: every combination of a grid, or random draws from a space, each trial
 * scored by the caller's objective. By default trials run one after another in this thread
 * (models and tensors stay in one tfjs engine); with `workers: n` and an objective in a module
 * file they run on n worker threads. Each trial starts from `lepton.seed(its own seed)`, so a
 * trial's result does not depend on the trials before it, nor on which thread ran it. An
 * interrupt stops between trials and keeps the results.
 */
import { LeptonError, formatNumber, t } from "../i18n/index";
import { currentSeed, seed as seedGlobal, streamFromSeed } from "../backend/random";
import { cellSignal, DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { defaultMode, readMetrics, type Metrics } from "./metric-results";
import { loadObjective, type ObjectiveModule } from "./objective-module";
import { Table, type Row } from "./table";
import { runOnWorkers } from "./trial-pool";

/** Parameter values of one trial. */
export type Params = Record<string, unknown>;

/** One trial: its parameters and the metrics its objective reported. */
export interface Trial {
  index: number;
  params: Params;
  metrics: Metrics;
}

/** A continuous or integer range for random search (log: sample the exponent uniformly). */
export interface Range {
  min: number;
  max: number;
  log?: boolean;
  integer?: boolean;
}

export interface SearchOptions {
  /** The metric that ranks trials (default: the first one the objective reports). */
  metric?: string;
  /** Whether higher or lower is better (default: "min" for losses and errors, else "max"). */
  mode?: "max" | "min";
  /**
   * Worker threads to run trials on (default 1: this thread). More than 1 needs the objective as
   * a module (`{ module: "./objective.ts" }`); each worker has its own tfjs engine on the same
   * backend as this thread, and results equal those of one thread. Worth it up to the number of
   * CPU cores (on the single-threaded wasm and cpu backends).
   */
  workers?: number;
  /** Seed of each trial's `lepton.seed(...)` (and of random search's draws). Default 42. */
  seed?: number;
}

export interface RandomSearchOptions extends SearchOptions {
  /** Number of trials (default 10). */
  trials?: number;
}

/** What the objective gets besides the parameters. */
export interface TrialInfo {
  trial: number;
  total: number;
  /** The seed the trial was started with (`lepton.seed(seed)` was called just before). */
  seed: number;
}

/** An objective function: parameters in, a metric or an object of metrics out. */
export type ObjectiveFunction = (params: Params, info: TrialInfo) => unknown;

/** A function, or a module exporting one (needed for `workers`). */
export type Objective = ObjectiveFunction | ObjectiveModule;

export class SearchResult implements Displayable {
  constructor(
    readonly kind: "grid" | "random",
    /** Every trial run, in the order run. */
    readonly trials: Trial[],
    readonly metric: string,
    readonly mode: "max" | "min",
    /** True when an interrupt stopped the search early. */
    readonly stopped: boolean,
    readonly planned: number,
  ) {}

  /** The best trial by `metric` and `mode`. */
  get best(): Trial {
    const sign = this.mode === "max" ? 1 : -1;
    return this.trials.reduce((a, b) => ((b.metrics[this.metric] - a.metrics[this.metric]) * sign > 0 ? b : a));
  }

  /** The trials as a sortable table, best first (or sorted by `key`). */
  toTable(key = this.metric, descending = this.mode === "max"): Table {
    const paramKeys = [...new Set(this.trials.flatMap((tr) => Object.keys(tr.params)))];
    const metricKeys = [...new Set(this.trials.flatMap((tr) => Object.keys(tr.metrics)))];
    const rows: Row[] = this.trials.map((tr) => ({ trial: tr.index + 1, ...tr.params, ...tr.metrics }));
    const fmt = (v: unknown) => (typeof v === "number" ? formatNumber(v, { maximumSignificantDigits: 6 }) : String(v));
    const table = new Table(
      [{ key: "trial", title: t("evaluate:colTrial") }, ...[...paramKeys, ...metricKeys].map((k) => ({ key: k, title: k, format: fmt }))],
      rows,
      {
        title: t("evaluate:searchTitle", {
          kind: t(this.kind === "grid" ? "evaluate:gridKind" : "evaluate:randomKind"),
          trials: this.trials.length, metric: this.metric, value: fmt(this.best.metrics[this.metric]),
        }),
        notes: this.stopped ? [t("evaluate:stopped", { done: this.trials.length, total: this.planned })] : [],
        sortable: true,
      },
    );
    return table.sortBy(key === "trial" ? "trial" : key, descending);
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    return this.toTable()[DISPLAY]();
  }
}

/** The seed of trial `index`: depends only on the search's seed and the index. */
function trialSeed(base: number, index: number): number {
  return (Math.imul(base, 1000003) + Math.imul(index + 1, 7919)) >>> 1;
}

/** Runs the trials in this thread, each after `lepton.seed(its seed)`; the global seed is restored after. */
async function runHere(plan: Params[], seeds: number[], objective: ObjectiveFunction): Promise<{ values: Map<number, unknown>; stopped: boolean }> {
  const values = new Map<number, unknown>();
  const previous = currentSeed();
  try {
    for (let i = 0; i < plan.length; i++) {
      if (cellSignal()?.aborted) return { values, stopped: true };
      seedGlobal(seeds[i]);
      values.set(i, await objective(plan[i], { trial: i, total: plan.length, seed: seeds[i] }));
    }
    return { values, stopped: false };
  } finally {
    seedGlobal(previous ?? null);
  }
}

async function runTrials(kind: "grid" | "random", plan: Params[], objective: Objective, options: SearchOptions): Promise<SearchResult> {
  const workers = options.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new LeptonError("evaluate:badWorkers", { workers: String(workers) });
  if (workers > 1 && typeof objective === "function") throw new LeptonError("evaluate:workersNeedModule", { workers });
  const seeds = plan.map((_, i) => trialSeed(options.seed ?? 42, i));
  const { values, stopped } = workers > 1
    ? await runOnWorkers(plan, seeds, objective as ObjectiveModule, workers, cellSignal())
    : await runHere(plan, seeds, typeof objective === "function" ? objective : loadObjective<ObjectiveFunction>(objective));
  const trials: Trial[] = [...values.keys()].sort((a, b) => a - b).map((i) => ({ index: i, params: plan[i], metrics: readMetrics(values.get(i), i + 1) }));
  if (stopped) process.stderr.write(t("evaluate:stopped", { done: trials.length, total: plan.length }) + "\n");
  const available = [...new Set(trials.flatMap((tr) => Object.keys(tr.metrics)))];
  const metric = options.metric ?? available[0] ?? "score";
  if (trials.length && !trials.some((tr) => typeof tr.metrics[metric] === "number")) {
    throw new LeptonError("evaluate:noMetric", { metric, available: available.join(", ") });
  }
  return new SearchResult(kind, trials, metric, options.mode ?? defaultMode(metric), stopped, plan.length);
}

/**
 * Tries every combination of the given values (in key order, the last key varying fastest).
 *
 * @example
 * ```ts
 * const result = await lepton.evaluate.gridSearch(
 *   { lr: [0.01, 0.001], hidden: [16, 64] },
 *   async ({ lr, hidden }) => {
 *     const cv = await lepton.evaluate.crossValidate(() => makeModel(hidden as number, lr as number), trainFn, data, { k: 3 });
 *     return cv.mean;
 *   },
 *   { metric: "accuracy" });
 * result.best.params; // { lr: 0.01, hidden: 64 }
 * result              // sortable table of trials
 *
 * // On 2 worker threads: objective.ts exports `async function objective(params, info)`.
 * await lepton.evaluate.gridSearch({ lr: [0.01, 0.001] }, { module: "./objective.ts" }, { workers: 2 });
 * ```
 */
export async function gridSearch(space: Record<string, readonly unknown[]>, objective: Objective, options: SearchOptions = {}): Promise<SearchResult> {
  const keys = Object.keys(space);
  if (!keys.length || keys.some((k) => !Array.isArray(space[k]) || space[k].length === 0)) {
    throw new LeptonError("evaluate:emptySpace", { example: "{ lr: [0.01, 0.001] }" });
  }
  let plan: Params[] = [{}];
  for (const key of keys) plan = plan.flatMap((p) => space[key].map((v) => ({ ...p, [key]: v })));
  return runTrials("grid", plan, objective, options);
}

/**
 * Tries `trials` random draws from a space: a list gives equally likely choices, a range
 * `{min, max, log?, integer?}` a uniform (or log-uniform) value. Seeded: the same seed gives the
 * same trials.
 *
 * @example
 * ```ts
 * const result = await lepton.evaluate.randomSearch(
 *   { lr: { min: 1e-4, max: 1e-1, log: true }, hidden: { min: 8, max: 128, integer: true }, optimizer: ["adam", "sgd"] },
 *   async (params) => ({ accuracy: await trainAndScore(params) }),
 *   { trials: 20, seed: 0 });
 * result.best.params
 * ```
 */
export async function randomSearch(space: Record<string, readonly unknown[] | Range>, objective: Objective, options: RandomSearchOptions = {}): Promise<SearchResult> {
  const keys = Object.keys(space);
  if (!keys.length) throw new LeptonError("evaluate:emptySpace", { example: "{ lr: { min: 1e-4, max: 1e-1, log: true } }" });
  for (const key of keys) {
    const s = space[key];
    const ok = Array.isArray(s) ? s.length > 0
      : typeof (s as Range).min === "number" && typeof (s as Range).max === "number" && (s as Range).min < (s as Range).max && (!(s as Range).log || (s as Range).min > 0);
    if (!ok) throw new LeptonError("evaluate:badRange", { name: key, got: JSON.stringify(s) });
  }
  const random = streamFromSeed(options.seed ?? 42);
  const plan: Params[] = Array.from({ length: options.trials ?? 10 }, () => Object.fromEntries(keys.map((key) => {
    const s = space[key];
    if (Array.isArray(s)) return [key, s[random.int(s.length)]];
    const r = s as Range;
    if (r.integer && !r.log) return [key, Math.ceil(r.min) + random.int(Math.floor(r.max) - Math.ceil(r.min) + 1)];
    const v = r.log ? Math.exp(Math.log(r.min) + random.next() * (Math.log(r.max) - Math.log(r.min))) : r.min + random.next() * (r.max - r.min);
    return [key, r.integer ? Math.min(Math.max(Math.round(v), Math.ceil(r.min)), Math.floor(r.max)) : v];
  })));
  return runTrials("random", plan, objective, options);
}
