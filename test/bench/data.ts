/**
 * Data loading benchmark (`npm run bench:data`): a generated CSV of N rows x 10 numeric columns
 * and one string label, loaded into a float32 feature matrix plus int labels, then a group-by mean;
 * then, timed apart, the frame operations of a notebook's exploration: filter on a column, sort by
 * label then a feature (descending), group-by with mean/std/count, and value counts.
 * Engines: lepton (our streaming parser), danfojs-node readCSV (capped: it is far slower), and
 * pandas read_csv + to_numpy (Debian python3-pandas). Each engine runs in its own child process so
 * that its peak RSS is its own.
 *
 * Usage: npm run bench:data -- [--rows 1000000] [--danfo-rows 100000] [--timeout 300] [--json FILE]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const FEATURES = Array.from({ length: 10 }, (_, i) => `f${i}`);
const LABELS = ["alpha", "beta", "gamma", "delta", "epsilon"];

interface Result { engine: string; rows: number; seconds: number; opsSeconds?: number; peakMB: number; baseMB: number; note?: string; check?: number[] }

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Writes the CSV (seeded LCG so every run has the same file). */
function generate(file: string, rows: number): void {
  const fd = fs.openSync(file, "w");
  let s = 12345;
  const next = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  let out = FEATURES.join(",") + ",label\n";
  for (let i = 0; i < rows; i++) {
    const cls = Math.floor(next() * LABELS.length);
    for (let j = 0; j < FEATURES.length; j++) out += ((next() - 0.5) * 200 + cls).toFixed(4) + ",";
    out += LABELS[cls] + "\n";
    if (out.length > 1 << 20) { fs.writeSync(fd, out); out = ""; }
  }
  fs.writeSync(fd, out);
  fs.closeSync(fd);
}

function peakMB(): number { return process.resourceUsage().maxRSS / 1024; }

/** Runs inside the child process: one engine, one file; prints a JSON result line. */
async function child(engine: string, file: string): Promise<void> {
  if (engine === "lepton") {
    // require, not import(): under module node16 import() stays a real ESM import, which cannot load .ts
    const { readCSV } = require("../../src/data/csv/read") as typeof import("../../src/data/csv/read");
    const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
    const base = process.memoryUsage().rss / 2 ** 20;
    const t0 = process.hrtime.bigint();
    const df = await readCSV(file);
    const x = df.toTensor(FEATURES);
    const { labels } = df.labels("label");
    const y = tf.tensor1d(labels, "int32");
    const g = df.groupByMean("label", FEATURES);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const t1 = process.hrtime.bigint();
    const kept = df.filter("f1", (v: number) => v > 0);
    const sorted = df.sortBy(["label", "f0"], { descending: [false, true] });
    const agg = df.groupBy("label").agg({ f0: ["mean", "std", "count"], f1: "max" });
    const counts = df.valueCounts("label");
    const opsSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    const check = [x.shape[0], y.shape[0], Number((g.numeric("f0").values[0]).toFixed(3)),
      kept.length, Number((sorted.numeric("f0").values[0]).toFixed(3)), Number((agg.numeric("f0_std").values[0]).toFixed(3)), counts.numeric("count").values[0]];
    console.log(JSON.stringify({ engine, rows: df.length, seconds, opsSeconds, peakMB: peakMB(), baseMB: base, check }));
  } else if (engine === "danfojs") {
    const dfd = (await import("danfojs-node")) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const base = process.memoryUsage().rss / 2 ** 20;
    const t0 = process.hrtime.bigint();
    const df = await dfd.readCSV(file);
    const x = df.loc({ columns: FEATURES }).tensor.asType("float32");
    const y = df.column("label").tensor;
    const g = df.groupby(["label"]).col(FEATURES).mean();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(JSON.stringify({ engine, rows: df.shape[0], seconds, peakMB: peakMB(), baseMB: base, check: [x.shape[0], y.shape[0], g.shape[0]] }));
  }
}

const PANDAS = `
import resource, sys, time, json
import numpy as np, pandas as pd
file = sys.argv[1]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
df = pd.read_csv(file)
feats = [f"f{i}" for i in range(10)]
x = df[feats].to_numpy(np.float32)
y = df["label"].astype("category").cat.codes.to_numpy(np.int32)
g = df.groupby("label")[feats].mean()
seconds = time.perf_counter() - t0
t1 = time.perf_counter()
kept = df[df["f1"] > 0]
srt = df.sort_values(["label", "f0"], ascending=[True, False], kind="stable")
agg = df.groupby("label").agg(f0_mean=("f0", "mean"), f0_std=("f0", "std"), f0_count=("f0", "count"), f1=("f1", "max"))
counts = df["label"].value_counts()
ops = time.perf_counter() - t1
print(json.dumps({"engine": "pandas", "rows": len(df), "seconds": seconds, "opsSeconds": ops,
  "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "baseMB": base,
  "check": [x.shape[0], y.shape[0], round(float(g["f0"].iloc[0]), 3), len(kept), round(float(srt["f0"].iloc[0]), 3),
            round(float(agg["f0_std"].iloc[0]), 3), int(counts.iloc[0])]}))
`;

function runChild(cmd: string, args: string[], timeoutS: number, engine: string, rows: number): Result {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutS * 1000, maxBuffer: 1 << 24 });
  const line = (r.stdout ?? "").trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (!line) {
    const why = r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `timed out after ${timeoutS} s` : `failed: ${(r.stderr ?? "").slice(-300)}`;
    return { engine, rows, seconds: NaN, peakMB: NaN, baseMB: NaN, note: why };
  }
  return JSON.parse(line) as Result;
}

async function main(): Promise<void> {
  const engine = arg("child");
  if (engine) return child(engine, arg("file")!);
  const rows = Number(arg("rows", "1000000"));
  const danfoRows = Math.min(rows, Number(arg("danfo-rows", "100000")));
  const timeoutS = Number(arg("timeout", "300"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-bench-data-"));
  const file = path.join(dir, "data.csv");
  const small = path.join(dir, "data-danfo.csv");
  try {
    generate(file, rows);
    generate(small, danfoRows);
    const mb = fs.statSync(file).size / 2 ** 20;
    console.log(`CSV: ${rows.toLocaleString("en")} rows x (10 numbers + label), ${mb.toFixed(1)} MiB; danfojs on the first ${danfoRows.toLocaleString("en")} rows`);
    const node = (e: string, f: string) => [process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--child", e, "--file", f]] as const;
    const results: Result[] = [];
    const [cmd1, args1] = node("lepton", file);
    results.push(runChild(cmd1, [...args1], timeoutS, "lepton", rows));
    results.push(runChild("/usr/bin/python3", ["-c", PANDAS, file], timeoutS, "pandas", rows));
    const [cmd2, args2] = node("danfojs", small);
    const d = runChild(cmd2, [...args2], timeoutS, "danfojs", danfoRows);
    d.note = d.note ?? `capped at ${danfoRows.toLocaleString("en")} rows`;
    results.push(d);
    // Same-size lepton run for a like-for-like danfojs comparison.
    if (danfoRows < rows) {
      const [cmd3, args3] = node("lepton", small);
      const l = runChild(cmd3, [...args3], timeoutS, "lepton", danfoRows);
      l.engine = "lepton (danfojs size)";
      results.push(l);
    }
    const pandas = results.find((r) => r.engine === "pandas");
    console.log("\nengine                  rows        time (s)  peak RSS (MB)  RSS before load (MB)  vs pandas (time / peak)  frame ops (s)  vs pandas  note");
    for (const r of results) {
      const same = pandas && r.rows === pandas.rows && r.engine !== "pandas";
      const vs = same ? `${(r.seconds / pandas.seconds).toFixed(2)}x / ${(r.peakMB / pandas.peakMB).toFixed(2)}x` : "";
      const ops = r.opsSeconds === undefined ? "" : r.opsSeconds.toFixed(2);
      const vsOps = same && r.opsSeconds !== undefined && pandas.opsSeconds ? `${(r.opsSeconds / pandas.opsSeconds).toFixed(2)}x` : "";
      console.log(`${r.engine.padEnd(22)}  ${String(r.rows).padEnd(10)}  ${r.seconds.toFixed(2).padStart(8)}  ${r.peakMB.toFixed(0).padStart(13)}  ${r.baseMB.toFixed(0).padStart(20)}  ${vs.padEnd(23)}  ${ops.padStart(13)}  ${vsOps.padEnd(9)}  ${r.note ?? ""}`);
    }
    const checks = results.filter((r) => r.check && r.rows === rows).map((r) => `${r.engine}: ${JSON.stringify(r.check)}`);
    console.log(`\nsame results (rows, labels, mean f0 of the first group; filtered rows, top f0 after the sort, f0 std and count of the first group): ${checks.join("; ")}`);
    const json = arg("json");
    if (json) {
      const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, "-").replace(/-$/, "");
      const out = results.filter((r) => Number.isFinite(r.seconds)).flatMap((r) => [
        { name: `csv-${r.rows}-to-tensor-groupby/${slug(r.engine)}`, unit: "s", value: r.seconds },
        { name: `csv-${r.rows}-peak-rss/${slug(r.engine)}`, unit: "MB", value: r.peakMB },
        ...(r.opsSeconds === undefined ? [] : [{ name: `csv-${r.rows}-frame-ops/${slug(r.engine)}`, unit: "s", value: r.opsSeconds }]),
      ]);
      fs.writeFileSync(json, JSON.stringify(out, null, 2));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
