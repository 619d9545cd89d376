/**
 * `npm run bench:kernel`: the Lepton kernel against tslab 1.0.22, both started and driven over
 * ZeroMQ by the same client in the same run. Measures launch-to-kernel_info, the first cell (which
 * includes loading the type checker), median and p90 round trip of a trivial cell with the
 * library's types in scope, and completion latency. `--json FILE` writes github-action-benchmark
 * figures (`<case>/<engine>`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { KernelClient, ROOT } from "../support/kernel-client";

interface Figures { startup: number; firstCell: number; cellMedian: number; cellP90: number; completeMedian: number; tfCellMedian: number }

const args = process.argv.slice(2);
const jsonFile = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const rounds = Number(args.includes("--cells") ? args[args.indexOf("--cells") + 1] : 30);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function measure(engine: string, argv?: (f: string) => string[], prelude?: string): Promise<Figures> {
  const k = new KernelClient();
  await k.start({}, ROOT, argv);
  const startup = k.startedInMs;
  const firstCell = await timed(() => k.execute("1"));
  if (prelude) await k.execute(prelude);
  const cells: number[] = [];
  for (let i = 0; i < rounds; i++) {
    cells.push(await timed(async () => {
      const r = await k.execute(`let x${i % 3} = ${i}; x${i % 3}`);
      if (r.reply.content.status !== "ok") throw new Error(`${engine}: ${JSON.stringify(r.reply.content)}`);
    }));
  }
  const tfCells: number[] = [];
  for (let i = 0; i < Math.min(rounds, 10); i++) {
    tfCells.push(await timed(async () => {
      const r = await k.execute(`const t${i % 2} = tf.tensor([${i}, 2]); t${i % 2}.shape`);
      if (r.reply.content.status !== "ok") throw new Error(`${engine}: ${JSON.stringify(r.reply.content)}`);
    }));
  }
  const completes: number[] = [];
  for (let i = 0; i < 10; i++) completes.push(await timed(() => k.request("complete_request", { code: "Math.flo", cursor_pos: 8 })));
  await k.stop();
  return {
    startup, firstCell, cellMedian: quantile(cells, 0.5), cellP90: quantile(cells, 0.9),
    completeMedian: quantile(completes, 0.5), tfCellMedian: quantile(tfCells, 0.5),
  };
}

async function main(): Promise<void> {
  const tslabBin = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
  const results: Record<string, Figures> = {};
  results.lepton = await measure("lepton");
  results.tslab = await measure("tslab", (f) => [process.execPath, tslabBin, "kernel", "--config-path", f],
    'import * as tf from "@tensorflow/tfjs";');
  const rows: [string, keyof Figures][] = [
    ["launch to kernel_info (ms)", "startup"], ["first cell (ms)", "firstCell"], ["trivial cell median (ms)", "cellMedian"],
    ["trivial cell p90 (ms)", "cellP90"], ["tf cell median (ms)", "tfCellMedian"], ["completion median (ms)", "completeMedian"],
  ];
  console.log(`\nKernel benchmark (${rounds} trivial cells; library types in scope for both: tslab imports @tensorflow/tfjs first)\n`);
  console.log(`${"case".padEnd(30)}${"lepton".padStart(10)}${"tslab".padStart(10)}${"ratio".padStart(8)}`);
  for (const [label, key] of rows) {
    const a = results.lepton[key];
    const b = results.tslab[key];
    console.log(`${label.padEnd(30)}${a.toFixed(1).padStart(10)}${b.toFixed(1).padStart(10)}${(a / b).toFixed(2).padStart(8)}`);
  }
  if (jsonFile) {
    const out = [];
    for (const [engine, f] of Object.entries(results)) {
      out.push({ name: `startup/${engine}`, unit: "ms", value: f.startup });
      out.push({ name: `first-cell/${engine}`, unit: "ms", value: f.firstCell });
      out.push({ name: `cell-median/${engine}`, unit: "ms", value: f.cellMedian });
      out.push({ name: `cell-p90/${engine}`, unit: "ms", value: f.cellP90 });
      out.push({ name: `tf-cell-median/${engine}`, unit: "ms", value: f.tfCellMedian });
      out.push({ name: `complete-median/${engine}`, unit: "ms", value: f.completeMedian });
    }
    fs.writeFileSync(jsonFile, JSON.stringify(out, null, 2) + "\n");
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
