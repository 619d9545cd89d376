/**
 * Parallel hyperparameter search benchmark (`npm run bench:search`): wall time of a grid search
 * whose trials each train a small CNN on wasm, run in this thread (the named peer: lepton's
 * sequential search) and on worker threads, in the same run. Worker start-up (each loads tfjs and
 * its own wasm module) is included. The trials' results must be identical in every mode.
 *
 * Flags: --trials N (default 8), --samples N (per trial, default 8192), --workers a,b (default
 * 2), --json FILE (github-action-benchmark array of {name, unit, value}).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ready } from "../../src/backend/index";
import { gridSearch, type SearchResult } from "../../src/evaluate/search";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

interface Case { engine: string; workers: number; seconds: number; result: SearchResult }

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const trials = Number(option(args, "--trials") ?? 8);
  const samples = Number(option(args, "--samples") ?? 8192);
  const workerCounts = (option(args, "--workers") ?? "2").split(",").map(Number);
  const json = option(args, "--json");
  const backend = await ready();
  console.log(`bench:search  ${os.cpus()[0]?.model ?? "cpu"}, ${os.cpus().length} cores, backend ${backend.backend}, ${trials} trials of ${samples} samples (small CNN, 1 epoch)`);
  const space = { lr: Array.from({ length: trials }, (_, i) => 1e-3 * (i + 1)), samples: [samples] };
  const objective = { module: path.join(__dirname, "search-objective.ts") };
  const cases: Case[] = [];
  for (const workers of [1, ...workerCounts]) {
    const t0 = performance.now();
    const result = await gridSearch(space, objective, { workers, seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    cases.push({ engine: workers === 1 ? "sequential" : `workers-${workers}`, workers, seconds, result });
    console.error(`  ${workers} worker(s): ${seconds.toFixed(1)} s`);
  }
  const base = cases[0];
  const same = (c: Case) => JSON.stringify(c.result.trials.map((tr) => tr.metrics)) === JSON.stringify(base.result.trials.map((tr) => tr.metrics));
  const head = ["engine", "threads", "wall s", "trials/min", "x sequential", "same results"];
  const rows = cases.map((c) => [c.engine, String(c.workers), c.seconds.toFixed(1), (trials / c.seconds * 60).toFixed(1), (base.seconds / c.seconds).toFixed(2), same(c) ? "yes" : "NO"]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log([fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n"));
  if (json) {
    const out = cases.map((c) => ({ name: `grid-${trials}x${samples}/${c.engine}`, unit: "trials/min", value: Number((trials / c.seconds * 60).toFixed(2)) }));
    fs.writeFileSync(json, JSON.stringify(out, null, 2));
  }
  if (!cases.every(same)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
