import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { save } from "../../src/deploy/bundle";
import { serve, type ServerHandle } from "../../src/deploy/server";
import { FEATURES, LABELS, rand, tempDir, trainClassifier } from "./fixtures";
import { call } from "./http-client";

const asObjects = (rows: number[][]) => rows.map((r) => Object.fromEntries(FEATURES.map((f, j) => [f, r[j]])));

describe("deploy: hot swap under load, fuzz, graceful shutdown, curl", function () {
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  let root: string;
  before(async () => {
    trained = await trainClassifier(4);
    root = tempDir();
    await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler });
    await save(trained.model, root, { name: "raw" });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("picks up new version folders under load with zero failed requests", async () => {
    const server = await serve(root, { pollMs: 50 });
    const body = { instances: asObjects(trained.test.rows.slice(0, 3)) };
    const seen = new Map<string, number>();
    const failures: string[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        try {
          const r = await call(server.url, "POST", "/v1/models/blobs:predict", body);
          if (r.status !== 200 || r.body.predictions.length !== 3) failures.push(`${r.status} ${r.text}`);
          const v = r.headers.get("x-model-version") ?? "?";
          seen.set(v, (seen.get(v) ?? 0) + 1);
        } catch (e) {
          failures.push(String(e));
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    try {
      const waitFor = async (version: string) => {
        const start = Date.now();
        while (!((seen.get(version) ?? 0) > 20) && Date.now() - start < 15000) await new Promise((r) => setTimeout(r, 20));
      };
      await waitFor("1");
      await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler });
      await waitFor("2");
      await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler });
      await waitFor("3");
    } finally {
      running = false;
      await Promise.all(clients);
      await server.stop();
    }
    assert.deepEqual(failures, []);
    for (const v of ["1", "2", "3"]) assert.ok((seen.get(v) ?? 0) > 20, `version ${v} answered ${seen.get(v) ?? 0} requests: ${JSON.stringify([...seen])}`);
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    assert.ok(total > 60);
  });

  it("answers random and malformed bodies with 4xx only and stays up (bounded fuzz)", async () => {
    const server = await serve(root, { pollMs: 0, bodyLimit: 64 * 1024 });
    const r = rand(99);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const keys = ["instances", "inputs", "examples", "name", "shape", "datatype", "data", "outputs", "id", "context", ...FEATURES];
    const value = (depth: number): unknown => {
      const k = Math.floor(r() * (depth > 3 ? 5 : 8));
      if (k === 0) return null;
      if (k === 1) return r() < 0.5;
      if (k === 2) return pick([0, -1, 1e308, -1e-308, 3.5, 2 ** 53, 255]);
      if (k === 3) return pick(["", "x", "FP32", "BYTES", "NaN", "\u0000", "１"]);
      if (k === 4) return Math.floor(r() * 10);
      if (k === 5 || k === 6) return Array.from({ length: Math.floor(r() * 5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [pick(keys), value(depth + 1)]));
    };
    const valid = () => ({ instances: asObjects(trained.test.rows.slice(0, 2)) });
    const mutate = (obj: unknown): unknown => {
      if (Array.isArray(obj)) return obj.length && r() < 0.7 ? obj.map((x, i) => (i === 0 ? mutate(x) : x)) : value(2);
      if (obj && typeof obj === "object") {
        const entries = Object.entries(obj);
        const i = Math.floor(r() * entries.length);
        return Object.fromEntries(entries.map(([k, v], j) => (j === i ? [r() < 0.2 ? pick(keys) : k, r() < 0.5 ? mutate(v) : value(2)] : [k, v])));
      }
      return value(2);
    };
    const bodies: (() => string | Uint8Array)[] = [
      () => Uint8Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256)),
      () => JSON.stringify(valid()).slice(0, Math.floor(r() * 60)),
      () => JSON.stringify(value(0)),
      () => JSON.stringify(mutate(valid())),
      () => JSON.stringify({ inputs: [{ name: "x", shape: value(3), datatype: pick(["FP32", "BYTES", "INT8", "??"]), data: value(2) }] }),
      () => `{"instances": ${"[".repeat(20000)}${"]".repeat(20000)}}`,
      () => `{"inputs": [{"name":"x","shape":[1,4],"datatype":"FP32","data":${"[".repeat(20000)}1${"]".repeat(20000)}}]}`,
      () => JSON.stringify({ instances: [[1e400, 2, 3, 4]] }).replace("null", "1e400"),
    ];
    const paths = ["/v1/models/blobs:predict", "/v1/models/raw:predict", "/v1/models/blobs:classify", "/v2/models/blobs/infer", "/v2/models/raw/infer", "/v1/models/raw/versions/1:predict"];
    const statuses = new Map<number, number>();
    try {
      for (let i = 0; i < 300; i++) {
        const path = pick(paths);
        const body = pick(bodies)();
        const answer = await call(server.url, "POST", path, body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500), `${path} ${String(body).slice(0, 200)} -> ${answer.status} ${answer.text}`);
        if (answer.status !== 200) assert.equal(typeof answer.body?.error, "string", "errors carry a message");
      }
      assert.ok((statuses.get(400) ?? 0) > 100, JSON.stringify([...statuses]));
      assert.equal((await call(server.url, "GET", "/healthz")).status, 200);
      const ok = await call(server.url, "POST", "/v1/models/blobs:predict", valid());
      assert.equal(ok.status, 200);
    } finally {
      await server.stop();
    }
  });

  it("stop() drains in-flight requests, then refuses connections", async () => {
    const server = await serve(root, { pollMs: 0, maxWaitMs: 200 });
    const body = { instances: asObjects(trained.test.rows.slice(0, 1)) };
    const pending = Array.from({ length: 5 }, () => call(server.url, "POST", "/v1/models/blobs:predict", body));
    await new Promise((r) => setTimeout(r, 50));
    await server.stop();
    const answers = await Promise.all(pending);
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
    await assert.rejects(fetch(`${server.url}/healthz`));
  });

  it("works with curl, as a shell user would call it", async function () {
    try {
      execFileSync("curl", ["--version"], { stdio: "ignore" });
    } catch {
      this.skip(); // curl missing: apt-get install -y curl
    }
    let server: ServerHandle | undefined;
    try {
      server = await serve(root, { pollMs: 0 });
      const body = JSON.stringify({ instances: asObjects(trained.test.rows.slice(0, 2)) });
      const run = (args: string[]) =>
        new Promise<string>((resolve, reject) => {
          // async child: the server runs on this process's event loop
          execFile("curl", args, (err, stdout) => (err ? reject(err) : resolve(stdout)));
        });
      const out = JSON.parse(await run(["-s", "-X", "POST", "-H", "content-type: application/json", "-d", body, `${server.url}/v1/models/blobs:predict`]));
      assert.equal(out.predictions.length, 2);
      assert.ok(LABELS.includes(out.predictions[0].label));
      const code = await run(["-s", "-o", "/dev/null", "-w", "%{http_code}", `${server.url}/v1/models/missing`]);
      assert.equal(code, "404");
      assert.match(await run(["-s", `${server.url}/metrics`]), /lepton_requests_total/);
    } finally {
      await server?.stop();
    }
  });
});
