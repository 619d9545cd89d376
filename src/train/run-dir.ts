/**
 * Run folders: `runs/<name>/` with `config.json`, per-epoch metrics (`metrics.jsonl` and
 * `metrics.csv`) and `checkpoints/last/` holding the model, the optimizer state and the loop state
 * (epoch, step, learning rate, callback states, history) so that `resume` continues exactly.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { saveModelFiles, loadWeightsInto } from "../zoo/model-files";
import type { EpochLogs } from "./callbacks";

/** The loop state stored with each checkpoint. */
export interface LoopState {
  /** Epochs finished. */
  epoch: number;
  step: number;
  learningRate: number;
  seed: number;
  history: EpochLogs[];
  callbacks: (Record<string, unknown> | null)[];
  /** The global seed the run started from (`lepton.seed`); each epoch reseeds from it. */
  rng?: { baseSeed?: number };
}

/** Writes one run's files. */
export class RunRecorder {
  readonly dir: string;

  constructor(name: string, root = "runs") {
    if (!/^[\w.-]+$/.test(name)) throw new LeptonError("train:badRunName", { name });
    this.dir = path.resolve(root, name);
  }

  get checkpointDir(): string {
    return path.join(this.dir, "checkpoints", "last");
  }

  hasCheckpoint(): boolean {
    return fs.existsSync(path.join(this.checkpointDir, "state.json"));
  }

  /** Starts a fresh run: clears old metrics and writes the config. */
  start(config: Record<string, unknown>, fresh: boolean): void {
    fs.mkdirSync(this.dir, { recursive: true });
    if (fresh) {
      for (const f of ["metrics.jsonl", "metrics.csv"]) fs.rmSync(path.join(this.dir, f), { force: true });
      fs.rmSync(path.join(this.dir, "checkpoints"), { recursive: true, force: true });
    }
    fs.writeFileSync(path.join(this.dir, "config.json"), JSON.stringify(config, null, 2));
  }

  /** Appends an epoch to metrics.jsonl and rewrites metrics.csv from the whole history. */
  recordEpoch(logs: EpochLogs, history: EpochLogs[]): void {
    fs.appendFileSync(path.join(this.dir, "metrics.jsonl"), JSON.stringify(logs) + "\n");
    const keys = [...new Set(history.flatMap((h) => Object.keys(h)))];
    const rows = history.map((h) => keys.map((k) => (h[k] === undefined ? "" : String(h[k]))).join(","));
    fs.writeFileSync(path.join(this.dir, "metrics.csv"), [keys.join(","), ...rows].join("\n") + "\n");
  }

  /** Writes model weights, optimizer state and loop state; atomically replaces the previous one. */
  async saveCheckpoint(model: tf.LayersModel, optimizer: tf.Optimizer, state: LoopState): Promise<void> {
    const tmp = `${this.checkpointDir}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    await saveModelFiles(model, tmp);
    const named = await optimizer.getWeights();
    // Adam's first and second moments share names; store by index and keep the names aside.
    const { data, specs } = await tf.io.encodeWeights(named.map((w, i) => ({ name: `w${i}`, tensor: w.tensor })));
    fs.writeFileSync(path.join(tmp, "optimizer.bin"), Buffer.from(data as ArrayBuffer));
    fs.writeFileSync(path.join(tmp, "optimizer.json"), JSON.stringify({ className: optimizer.getClassName(), names: named.map((w) => w.name), specs }));
    fs.writeFileSync(path.join(tmp, "state.json"), JSON.stringify(state));
    fs.rmSync(this.checkpointDir, { recursive: true, force: true });
    fs.renameSync(tmp, this.checkpointDir);
  }

  /** Restores the last checkpoint into `model` and `optimizer`; returns the loop state. */
  async loadCheckpoint(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<LoopState> {
    if (!this.hasCheckpoint()) throw new LeptonError("train:noCheckpoint", { dir: this.dir });
    const dir = this.checkpointDir;
    loadWeightsInto(model, dir);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "optimizer.json"), "utf8")) as { className: string; names: string[]; specs: tf.io.WeightsManifestEntry[] };
    if (meta.className !== optimizer.getClassName()) {
      throw new LeptonError("train:optimizerMismatch", { saved: meta.className, given: optimizer.getClassName() });
    }
    const buf = fs.readFileSync(path.join(dir, "optimizer.bin"));
    const decoded = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), meta.specs);
    await optimizer.setWeights(meta.names.map((name, i) => ({ name, tensor: decoded[`w${i}`] })));
    return JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as LoopState;
  }
}
