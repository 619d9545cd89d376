/**
 * What zoo:train writes: each shipped model's files and card in zoo/weights/<name>/, and every
 * measured result in zoo/weights/results.json (read-modify-writes under a lock file).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { saveModelFiles } from "../../src/zoo/model-files";
import { weightsRoot, type PretrainedCard } from "../../src/zoo/pretrained";
import { log } from "./command-line";

/** zoo/weights/. */
const root = weightsRoot();
const resultsFile = path.join(root, "results.json");

let lockHeld = false;

/**
 * Runs `update`, a read-modify-write of results.json, under a lock file, so that two zoo:train
 * processes (one per core) never lose each other's records. Re-entrant within a process.
 */
export function withResultsLock<T>(update: () => T): T {
  if (lockHeld) return update();
  const lock = `${resultsFile}.lock`;
  fs.mkdirSync(root, { recursive: true });
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, "wx"));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // Held for more than a minute: left by a process that died while writing.
      let age = 0;
      try { age = Date.now() - fs.statSync(lock).mtimeMs; } catch { continue; }
      if (age > 60_000) fs.rmSync(lock, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  lockHeld = true;
  try {
    return update();
  } finally {
    lockHeld = false;
    fs.rmSync(lock, { force: true });
  }
}

/** Sets results.json's record `key` (with the time and backend of the measurement). */
export function recordResult(key: string, value: Record<string, unknown>): void {
  withResultsLock(() => writeResult(key, value));
}

/** Everything results.json holds (empty before the first run). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON records of many shapes
export function readResults(): Record<string, any> {
  return fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, "utf8")) : {};
}

function writeResult(key: string, value: Record<string, unknown>): void {
  const all = readResults();
  all[key] = { ...value, measuredAt: new Date().toISOString(), backend: tf.getBackend() };
  fs.mkdirSync(root, { recursive: true });
  // Written whole and renamed, so a second zoo:train process never reads half a file.
  const tmp = `${resultsFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + "\n");
  fs.renameSync(tmp, resultsFile);
}

/** Writes a shipped model's files and its card (metrics, training, preprocessing) to zoo/weights/<name>/. */
export async function savePretrained(model: tf.LayersModel, card: PretrainedCard): Promise<void> {
  const dir = path.join(root, card.name);
  await saveModelFiles(model, dir);
  fs.writeFileSync(path.join(dir, "card.json"), JSON.stringify(card, null, 2) + "\n");
  const size = fs.statSync(path.join(dir, "weights.bin")).size;
  log(`saved ${card.name}: ${(size / 1024).toFixed(0)} KiB, metrics ${JSON.stringify(card.metrics)}`);
}
