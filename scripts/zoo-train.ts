/**
 * `npm run zoo:train`: trains the pretrained models shipped in zoo/weights/ (seeded) and records
 * their measured test results beside them (`card.json` per model, `results.json` for all runs,
 * including the transfer and language-identification comparisons).
 *
 *   npm run zoo:train                       # everything but select (about 25 minutes on 2 cores; seeds is 8 of them)
 *   npm run zoo:train -- --only mnist       # one part: breast-cancer | mnist | speed | compare | seeds | cv | select | transfer | langid
 *
 * `cv` (run only when named; about 11 minutes per seed on one core) compares LeptonNet and LeNet-5 by
 * cross-validation over all 10,000 bundled digits. `select` (run only when named) is how the MNIST recipe was chosen, on a validation split of the
 * training images, never the test images; `select()` lists what was run.
 *
 * Each part is a module of its own in scripts/zoo-train/parts/; the recipes and the MNIST training
 * function are in mnist-recipes.ts, and everything written goes through results-file.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { ready } from "../src/backend/index";
import { log, only } from "./zoo-train/command-line";
import { breastCancer } from "./zoo-train/parts/breast-cancer";
import { compare } from "./zoo-train/parts/compare";
import { cv } from "./zoo-train/parts/cv";
import { langid } from "./zoo-train/parts/langid";
import { mnist } from "./zoo-train/parts/mnist";
import { seeds } from "./zoo-train/parts/seeds";
import { select } from "./zoo-train/parts/select";
import { speed } from "./zoo-train/parts/speed";
import { transfer } from "./zoo-train/parts/transfer";

async function main(): Promise<void> {
  const report = await ready();
  log(`backend ${tf.getBackend()} (${JSON.stringify(report).slice(0, 120)})`);
  const parts: [string, () => Promise<void>][] = [["breast-cancer", breastCancer], ["mnist", mnist], ["speed", speed], ["compare", compare], ["seeds", seeds], ["cv", cv], ["select", select], ["transfer", transfer], ["langid", langid]];
  for (const [name, run] of parts) {
    // select (the recipe search, over an hour on 2 cores) and cv (11 minutes a seed) run only when asked for.
    if ((only && only !== name) || (!only && (name === "select" || name === "cv"))) continue;
    const t0 = Date.now();
    await run();
    log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
