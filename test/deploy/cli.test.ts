import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { save } from "../../src/deploy/bundle";
import { deployDockerCommand, parseArgs } from "../../src/deploy/cli";
import { LeptonError } from "../../src/i18n/index";
import { FEATURES, LABELS, tempDir, trainClassifier } from "./fixtures";
import { call } from "./http-client";

const ROOT = path.resolve(__dirname, "..", "..");

describe("deploy: command line (serve, deploy docker)", function () {
  let root: string;
  before(async () => {
    const { model } = await trainClassifier(6);
    root = tempDir();
    await save(model, root, { name: "blobs", labels: LABELS, features: FEATURES });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("parses options and says what is wrong", () => {
    const flags = { "--port": { key: "port", kind: "number" as const }, "--no-batching": { key: "batching", kind: "boolean" as const } };
    assert.deepEqual(parseArgs(["models", "--port", "9000", "--no-batching"], flags, "u"), { dir: "models", options: { port: 9000, batching: false } });
    assert.deepEqual(parseArgs(["--port=0", "m"], flags, "u").options, { port: 0 });
    assert.throws(() => parseArgs(["m", "--bogus"], flags, "u"), (e: unknown) => e instanceof LeptonError && e.code === "deploy:cliBadOption" && /--bogus/.test(e.message));
    assert.throws(() => parseArgs(["m", "--port", "abc"], flags, "u"), (e: unknown) => e instanceof LeptonError && e.code === "deploy:cliBadNumber");
    assert.throws(() => parseArgs(["--port", "1"], flags, "u"), (e: unknown) => e instanceof LeptonError && e.code === "deploy:cliMissingDir");
  });

  it("deploy docker writes a Dockerfile and .dockerignore that serve the bundle", async () => {
    const modelDir = path.join(root, "blobs");
    const log = console.log;
    const printed: string[] = [];
    console.log = (line: string) => printed.push(line);
    try {
      assert.equal(await deployDockerCommand(["docker", modelDir, "--port", "9000"]), 0);
      await deployDockerCommand([root]); // a repository folder
    } finally {
      console.log = log;
    }
    assert.match(printed[0], /docker build/);
    const dockerfile = fs.readFileSync(path.join(modelDir, "Dockerfile"), "utf8");
    assert.match(dockerfile, /^FROM node:20-slim$/m);
    assert.match(dockerfile, /^COPY --chown=node:node \. \/srv\/model$/m);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^EXPOSE 9000$/m);
    assert.match(dockerfile, /HEALTHCHECK .*127\.0\.0\.1:9000\/healthz/);
    assert.match(dockerfile, /^ARG LEPTON_PACKAGE=lepton-workbench@0\.1\.0$/m);
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]);
    assert.deepEqual(cmd, ["lepton", "serve", "/srv/model", "--host", "0.0.0.0", "--port", "9000", "--name", "blobs"]);
    const ignore = fs.readFileSync(path.join(modelDir, ".dockerignore"), "utf8").split("\n");
    assert.ok(ignore.includes("node_modules") && ignore.includes("**/.staging-*"));
    assert.ok(!ignore.some((l) => /^\*$|model|weights|\.json/.test(l)), "model files stay in the context");
    // a repository folder serves every model: no --name
    assert.doesNotMatch(fs.readFileSync(path.join(root, "Dockerfile"), "utf8"), /--name/);
  });

  it("`lepton serve <dir>` serves until SIGTERM, then exits 0", async function () {
    this.timeout(60000);
    const script = `require(${JSON.stringify(path.join(ROOT, "src/deploy/cli.ts"))}).serveCommand(process.argv.slice(1)).then((c) => process.exit(c))`;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script, root, "--port", "0", "--token", "tok"], {
      cwd: ROOT,
      env: { ...process.env, LEPTON_BACKEND: "cpu", LEPTON_LOCALE: "en" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const start = Date.now();
    while (!/Serving .* at (http:\S+)/.test(out) && Date.now() - start < 45000) await new Promise((r) => setTimeout(r, 100));
    const url = /Serving .* at (http:\S+)/.exec(out)?.[1];
    assert.ok(url, out);
    const r = await call(url!, "POST", "/v1/models/blobs:predict", { instances: [{ a: 0, b: 0, c: 0, d: 0 }] }, { authorization: "Bearer tok" });
    assert.equal(r.status, 200, r.text);
    assert.equal((await call(url!, "GET", "/v1/models/blobs")).status, 401);
    child.kill("SIGTERM");
    assert.equal(await exited, 0, out);
    assert.match(out, /Stopping/);
  });
});
