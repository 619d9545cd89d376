/**
 * Serving benchmark (`npm run bench:serve`): autocannon over loopback against `lepton.serve`
 * running LeptonNet (28x28x1 -> 10 classes: the zoo's pretrained leptonnet-mnist saved as a bundle
 * with labels and served from its folder; random weights or a LeNet-like CNN if the zoo is missing)
 * in a child process, `POST /v1/models/leptonnet:predict` with one image per request.
 * Requests/s and p50/p99 latency at 1, 16 and 64 concurrent connections, dynamic batching on
 * (lepton's default) against batching off (the peer: one model call per request), same run.
 *
 * Usage: npm run bench:serve -- [--duration 5] [--rounds 2] [--max-batch 64] [--max-wait-ms 0] [--optimize on|off] [--json FILE]
 * `--optimize off` serves the graph as saved (no batch-norm folding / ReLU fusion), for comparison.
 * The two servers run side by side and the cases alternate between them, round after round, so a
 * busy neighbour on a shared machine weighs on both alike; the load average is printed.
 * Backend: lepton.backend.ready() (wasm here) when src/backend loads, else tfjs's default; printed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CONNECTIONS = [1, 16, 64];

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Runs in the child: builds the model, serves it, prints `{url, backend, model}` as one JSON line. */
async function child(batching: boolean): Promise<void> {
  const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
  const { chooseBackend } = require("../../src/deploy/backend-choice") as typeof import("../../src/deploy/backend-choice");
  const { serve } = require("../../src/deploy/server") as typeof import("../../src/deploy/server");
  const { backend, resolver } = await chooseBackend();
  let model: import("@tensorflow/tfjs").LayersModel;
  let modelName = "LeptonNet (zoo leptonnet-mnist, served from a saved bundle)";
  let source: string | import("@tensorflow/tfjs").LayersModel;
  try {
    // The pretrained model, saved and served the way a user would (labels decoded server-side).
    const { load } = require("../../src/zoo/pretrained") as typeof import("../../src/zoo/pretrained");
    const { save } = require("../../src/deploy/bundle") as typeof import("../../src/deploy/bundle");
    model = await load("leptonnet-mnist");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-bench-serve-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    await save(model, dir, { name: "leptonnet", labels: Array.from({ length: 10 }, (_, i) => String(i)) });
    source = dir;
  } catch {
    modelName = "LeptonNet (random weights)";
    try {
      const zoo = require("../../src/zoo/index") as { leptonNet?: (o: { numClasses: number }) => import("@tensorflow/tfjs").LayersModel };
      if (typeof zoo.leptonNet !== "function") throw new Error("no leptonNet");
      model = zoo.leptonNet({ numClasses: 10 });
    } catch {
      modelName = "LeNet-like";
      model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: "relu" }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 120, activation: "relu" }),
          tf.layers.dense({ units: 10, activation: "softmax" }),
        ],
      });
    }
    source = model;
  }
  const server = await serve(source, {
    name: "leptonnet",
    batching,
    maxBatch: Number(arg("max-batch", "64")),
    maxWaitMs: Number(arg("max-wait-ms", "0")),
    maxConcurrent: 1024,
    optimize: arg("optimize", "on") !== "off",
  });
  console.log(JSON.stringify({ url: server.url, backend: `${backend} (${resolver})`, model: modelName }));
  process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
}

interface Row {
  connections: number;
  engine: "batching" | "no-batching";
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

function startChild(batching: boolean): Promise<{ proc: ChildProcess; url: string; backend: string; model: string }> {
  const proc = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--child", batching ? "on" : "off", ...process.argv.slice(2)], {
    cwd: path.resolve(__dirname, "..", ".."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ proc, ...(JSON.parse(line) as { url: string; backend: string; model: string }) });
    });
    proc.stderr!.on("data", (d) => (out += d));
    proc.on("exit", (code) => reject(new Error(`server child exited (${code}): ${out}`)));
  });
}

async function measure(url: string, connections: number, duration: number): Promise<{ rps: number; p50: number; p99: number; failed: number }> {
  const autocannon = require("autocannon") as (opts: object) => Promise<{
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  }>;
  // One fixed 28x28x1 image (3 decimals, like a normalised pixel array a client would send).
  let s = 7;
  const image = Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => [((s = (s * 1103515245 + 12345) >>> 0) / 4294967296).toFixed(3)].map(Number)));
  const body = JSON.stringify({ instances: [image] });
  const result = await autocannon({
    url: `${url}/v1/models/leptonnet:predict`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration,
    timeout: 30,
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts };
}

async function main(): Promise<void> {
  const duration = Number(arg("duration", "5"));
  const rounds = Math.max(1, Number(arg("rounds", "2")));
  const samples: Row[] = [];
  const loadBefore = os.loadavg()[0];
  // Both servers run side by side (an idle one costs nothing) and the cases alternate between
  // them, round after round: a neighbour's load then weighs on both engines alike.
  const servers = { batching: await startChild(true), "no-batching": await startChild(false) };
  const info = { backend: servers.batching.backend, model: servers.batching.model };
  try {
    for (const server of Object.values(servers)) await measure(server.url, 16, 1); // warm-up: kernels compiled, buffers allocated
    for (let round = 0; round < rounds; round++) {
      for (const connections of CONNECTIONS) {
        const order = round % 2 === 0 ? (["batching", "no-batching"] as const) : (["no-batching", "batching"] as const);
        for (const engine of order) {
          const r = await measure(servers[engine].url, connections, duration);
          samples.push({ connections, engine, ...r });
          process.stderr.write(`round ${round + 1} ${engine} c${connections}: ${r.rps.toFixed(1)} req/s p50 ${r.p50} ms p99 ${r.p99} ms\n`);
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) {
      server.proc.kill("SIGTERM");
      await new Promise((r) => server.proc.once("exit", r));
    }
  }
  // Per case: mean requests/s and p50 over the rounds, the worst p99.
  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    for (const engine of ["batching", "no-batching"] as const) {
      const of = samples.filter((r) => r.connections === connections && r.engine === engine);
      const mean = (f: (r: Row) => number) => of.reduce((s, r) => s + f(r), 0) / of.length;
      rows.push({ connections, engine, rps: mean((r) => r.rps), p50: mean((r) => r.p50), p99: Math.max(...of.map((r) => r.p99)), failed: of.reduce((s, r) => s + r.failed, 0) });
    }
  }

  const get = (c: number, e: Row["engine"]) => rows.find((r) => r.connections === c && r.engine === e)!;
  console.log(`\nlepton.serve, ${info.model} (28x28x1, 1 image per request), backend ${info.backend}, ${duration}s per case x ${rounds} rounds (mean req/s and p50, worst p99), graph ${arg("optimize", "on") === "off" ? "as saved" : "optimised (batch norm folded)"}, loopback, ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)}`);
  console.log("clients | batching req/s   p50 ms   p99 ms | no-batching req/s   p50 ms   p99 ms | speed-up");
  for (const c of CONNECTIONS) {
    const b = get(c, "batching");
    const n = get(c, "no-batching");
    console.log(
      `${String(c).padStart(7)} | ${b.rps.toFixed(1).padStart(14)} ${b.p50.toFixed(1).padStart(8)} ${String(b.p99).padStart(8)} | ${n.rps.toFixed(1).padStart(17)} ${n.p50.toFixed(1).padStart(8)} ${String(n.p99).padStart(8)} | ${(b.rps / n.rps).toFixed(2).padStart(7)}x`,
    );
  }
  const b64 = get(64, "batching");
  const n64 = get(64, "no-batching");
  const failed = rows.reduce((s, r) => s + r.failed, 0);
  console.log(`goal at 64 clients: batching >= 3x no-batching (${(b64.rps / n64.rps).toFixed(2)}x) and p99 < 100 ms (${b64.p99} ms): ${b64.rps >= 3 * n64.rps && b64.p99 < 100 ? "met" : "NOT met"}; failed requests: ${failed}`);

  const json = arg("json");
  if (json) {
    const out = rows.flatMap((r) => [
      { name: `rps-c${r.connections}/${r.engine}`, unit: "req/s", value: r.rps },
      { name: `p50-c${r.connections}/${r.engine}`, unit: "ms", value: r.p50 },
      { name: `p99-c${r.connections}/${r.engine}`, unit: "ms", value: r.p99 },
    ]);
    fs.writeFileSync(json, JSON.stringify(out, null, 2));
  }
}

const childMode = arg("child");
if (childMode) void child(childMode === "on");
else
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
