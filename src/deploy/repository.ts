/**
 * The models a server holds: found on disk (`root/<name>/<version>/`) or given in memory. The
 * highest version is loaded and served by default; a new version folder is noticed by polling,
 * loaded aside and swapped in, and the old one is disposed only after its last request finished.
 */
import * as path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { load, runnerOf, type Bundle, type BundleManifest } from "./bundle";
import { DynamicBatcher, type BatcherOptions } from "./batcher";
import { InferenceRunner, type PreparedRows, type Prediction } from "./inference";
import { inferenceModel } from "./inference-graph";
import { RequestError } from "./request-error";
import { classifyFolder, listModels, listVersions, MODEL_NAME } from "./versions";

/** One loaded version of a model, with its batcher. */
export class ServedVersion {
  readonly runner: InferenceRunner;
  readonly batcher: DynamicBatcher;
  private refs = 0;
  private retired = false;

  constructor(
    readonly bundle: Pick<Bundle, "model" | "manifest" | "preprocessing">,
    readonly version: number,
    batching: BatcherOptions,
    /** False for a model the caller passed in: it stays theirs and is not disposed. */
    private readonly owned = true,
    /** The graph to run instead of `bundle.model` (batch norms folded, see inference-graph.ts); always ours. */
    private readonly inference?: tf.LayersModel,
  ) {
    this.runner = runnerOf({ ...bundle, model: inference ?? bundle.model });
    this.batcher = new DynamicBatcher((data, n) => this.runner.run(data, n), batching);
  }

  get manifest(): BundleManifest {
    return this.bundle.manifest;
  }

  /** Validates raw rows, runs them through the batcher, decodes labels/probabilities. */
  predict(rows: unknown, where: string): Promise<{ predictions: Prediction[]; values: Float32Array; width: number; n: number }> {
    return this.predictPrepared(this.runner.prepare(rows, where));
  }

  /** Runs rows already made ready for the model through the batcher and decodes them. */
  async predictPrepared({ data, n }: PreparedRows): Promise<{ predictions: Prediction[]; values: Float32Array; width: number; n: number }> {
    const { values, width } = await this.batcher.submit(data, n);
    return { predictions: this.runner.decode(values, width, n), values, width, n };
  }

  acquire(): this {
    this.refs += 1;
    return this;
  }

  release(): void {
    this.refs -= 1;
    if (this.retired && this.refs === 0) void this.dispose();
  }

  /** No new requests will come; dispose once the running ones are done. */
  retire(): void {
    this.retired = true;
    if (this.refs === 0) void this.dispose();
  }

  get inUse(): boolean {
    return this.refs > 0;
  }

  private async dispose(): Promise<void> {
    await this.batcher.idle();
    this.inference?.dispose();
    if (this.owned) this.bundle.model.dispose();
  }
}

/** The state of a version as the status routes report it. */
export interface VersionState {
  version: number;
  state: "AVAILABLE" | "LOADING" | "FAILED";
  error?: string;
}

interface ModelEntry {
  name: string;
  /** The model folder with version subfolders, the bundle folder itself, or none (in memory). */
  dir?: string;
  versioned: boolean;
  latest?: ServedVersion;
  /** Non-default versions loaded on request (kept a while for repeated use). */
  others: Map<number, ServedVersion>;
  failed: Map<number, string>;
}

/** Options of {@link ModelRepository}. */
export interface RepositoryOptions {
  batching: BatcherOptions;
  /** How often to look for new versions (ms); 0 turns polling off. */
  pollMs: number;
  /** Name to serve a single model (bundle or model folder, or an in-memory model) under. */
  name?: string;
  /** Told when the default version of a model changes. */
  onVersion?: (name: string, version: number) => void;
  /** Run an inference copy with batch norms folded and ReLUs fused (checked against the model). */
  optimize?: boolean;
}

const MAX_OTHER_VERSIONS = 2;

/** All models of one server. */
export class ModelRepository {
  private models = new Map<string, ModelEntry>();
  private root?: string;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: RepositoryOptions) {}

  /** Serves the models found in a folder (bundle, model folder with versions, or repository). */
  async openFolder(dir: string): Promise<void> {
    const found = classifyFolder(dir);
    const fallbackName = this.options.name ?? path.basename(found.dir);
    if (found.kind === "repository") this.root = found.dir;
    else {
      const name = MODEL_NAME.test(fallbackName) ? fallbackName : "model";
      this.models.set(name, { name, dir: found.dir, versioned: found.kind === "model", others: new Map(), failed: new Map() });
    }
    await this.refresh();
    if (this.options.pollMs > 0) {
      this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
      this.timer.unref();
    }
  }

  /** Serves an in-memory model (version 1, no polling). */
  async openBundle(bundle: Pick<Bundle, "model" | "manifest" | "preprocessing">): Promise<void> {
    const name = this.options.name ?? bundle.manifest.name ?? "model";
    const version = bundle.manifest.version ?? 1;
    const entry: ModelEntry = { name, versioned: false, others: new Map(), failed: new Map() };
    entry.latest = await this.serveVersion(bundle, version, false);
    this.models.set(name, entry);
    this.options.onVersion?.(name, version);
  }

  private async serveVersion(bundle: Pick<Bundle, "model" | "manifest" | "preprocessing">, version: number, owned = true): Promise<ServedVersion> {
    const inference = this.options.optimize ? await inferenceModel(bundle.model) : undefined;
    return new ServedVersion(bundle, version, this.options.batching, owned, inference);
  }

  /** Looks for new models and versions now (also run by the poller). */
  refresh(): Promise<void> {
    this.refreshing ??= this.scan().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async scan(): Promise<void> {
    if (this.root) {
      for (const name of listModels(this.root)) {
        if (!this.models.has(name)) this.models.set(name, { name, dir: path.join(this.root, name), versioned: true, others: new Map(), failed: new Map() });
      }
    }
    for (const entry of this.models.values()) {
      if (!entry.dir) continue;
      if (!entry.versioned) {
        if (!entry.latest) await this.loadInto(entry, entry.dir, 1);
        continue;
      }
      const newest = listVersions(entry.dir).at(-1);
      if (newest !== undefined && newest !== entry.latest?.version) await this.loadInto(entry, path.join(entry.dir, String(newest)), newest);
    }
  }

  private async loadInto(entry: ModelEntry, dir: string, version: number): Promise<void> {
    let served: ServedVersion;
    try {
      const bundle = await load(dir);
      served = await this.serveVersion(bundle, version);
      entry.failed.delete(version);
    } catch (e) {
      // A broken or half-copied folder: keep serving what we have, report it, retry next poll.
      entry.failed.set(version, e instanceof Error ? e.message : String(e));
      return;
    }
    const old = entry.latest;
    entry.latest = served;
    old?.retire();
    this.options.onVersion?.(entry.name, version);
  }

  /** Names of the models served. */
  names(): string[] {
    return [...this.models.keys()].sort();
  }

  /** Versions of a model and their state (404 for an unknown model). */
  status(name: string): VersionState[] {
    const entry = this.entry(name);
    const onDisk = entry.versioned && entry.dir ? listVersions(entry.dir) : entry.latest ? [entry.latest.version] : [];
    return onDisk.map((v) => (entry.failed.has(v) ? { version: v, state: "FAILED", error: entry.failed.get(v) } : { version: v, state: entry.latest || v !== onDisk.at(-1) ? "AVAILABLE" : "LOADING" }));
  }

  /** Throws the 404 for an unknown model (cheap: no disk access, unlike {@link status}). */
  assertKnown(name: string): void {
    this.entry(name);
  }

  /** True when every model has a loaded default version. */
  ready(name?: string): boolean {
    const entries = name ? [this.entry(name)] : [...this.models.values()];
    return entries.length > 0 && entries.every((e) => e.latest !== undefined);
  }

  private entry(name: string): ModelEntry {
    const entry = MODEL_NAME.test(name) ? this.models.get(name) : undefined;
    if (!entry) throw new RequestError(404, "deploy:unknownModel", { name, models: this.names().join(", ") || "-" });
    return entry;
  }

  /** Gets a version to run requests on (call `release()` when done); default the latest. */
  async acquire(name: string, version?: number): Promise<ServedVersion> {
    const entry = this.entry(name);
    const latest = entry.latest;
    if (version === undefined || version === latest?.version) {
      if (!latest) throw new RequestError(503, "deploy:modelNotReady", { name });
      return latest.acquire();
    }
    const cached = entry.others.get(version);
    if (cached) return cached.acquire();
    if (!entry.versioned || !entry.dir || !listVersions(entry.dir).includes(version)) {
      throw new RequestError(404, "deploy:unknownVersion", { name, version, versions: this.status(name).map((s) => s.version).join(", ") });
    }
    const served = await this.serveVersion(await load(path.join(entry.dir, String(version))), version);
    entry.others.set(version, served);
    for (const [v, s] of entry.others) {
      if (entry.others.size <= MAX_OTHER_VERSIONS) break;
      if (v !== version && !s.inUse) {
        entry.others.delete(v);
        s.retire();
      }
    }
    return served.acquire();
  }

  /** Stops polling; waits for the running batches, then frees every model. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
    for (const entry of this.models.values()) {
      for (const s of [entry.latest, ...entry.others.values()]) {
        if (!s) continue;
        await s.batcher.idle();
        s.retire();
      }
    }
    this.models.clear();
  }
}
