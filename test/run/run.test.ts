/**
 * `lepton run`: parameters typed and injected after the parameters cell, outputs that use them,
 * the failure path (exit code, output written, the cell and its error named), the environment in
 * metadata.lepton, and the same metrics from two runs of 02-training with the same seed.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseRunArguments } from "../../src/run/cli";
import { injectedSource, parameterDefaults, parseParameterValue, resolveParameters, typeOfValue } from "../../src/run/parameters";
import type { Notebook, NotebookCell } from "../../src/run/notebook";
import { PYTHON, run } from "../support/jupyter";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");
const OUT = path.join(os.tmpdir(), `lepton-run-test-${process.pid}`);
/** A path in the test's own folder, made when first needed (not at load time, when other suites may clean up). */
function outPath(name: string): string {
  fs.mkdirSync(OUT, { recursive: true });
  return path.join(OUT, name);
}

interface Cli { code: number | null; stderr: string }

/** `lepton run ARGS` in its own process (English messages, so the test can read them). */
function lepton(args: string[]): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "run-cli.ts"), ...args], {
      cwd: ROOT, env: { ...process.env, LEPTON_LOCALE: "en" }, stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
const src = (c: NotebookCell) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const tags = (c: NotebookCell) => (c.metadata.tags ?? []) as string[];
const text = (c: NotebookCell) => (c.outputs ?? []).map((o) => o.text ?? o.data?.["text/plain"] ?? "").join("");

describe("lepton run: parameters", () => {
  it("types values given as text like papermill (numbers stay numbers)", () => {
    assert.equal(parseParameterValue("3"), 3);
    assert.equal(parseParameterValue("-1.5e-3"), -0.0015);
    assert.equal(parseParameterValue("true"), true);
    assert.equal(parseParameterValue("null"), null);
    assert.deepEqual(parseParameterValue("[64, 32]"), [64, 32]);
    assert.deepEqual(parseParameterValue('{"lr": 0.1}'), { lr: 0.1 });
    assert.equal(parseParameterValue("adam"), "adam");
    assert.equal(parseParameterValue("[not json"), "[not json");
    assert.equal(typeOfValue([64, 32]), "number[]");
    assert.equal(typeOfValue({ lr: 0.1, "hidden units": [1, "a"] }), '{ lr: number; "hidden units": (number | string)[] }');
  });

  it("keeps the parameters cell's annotations, keywords and string defaults", () => {
    const defaults = parameterDefaults('const epochs = 15;\nlet optimizer: "adam" | "sgd" = "adam";\nconst tag = "v1";\nconst hidden = [8, 4];');
    assert.deepEqual(defaults.map((d) => [d.name, d.keyword, d.annotation, d.value]), [
      ["epochs", "const", undefined, 15], ["optimizer", "let", '"adam" | "sgd"', "adam"], ["tag", "const", undefined, "v1"], ["hidden", "const", undefined, [8, 4]],
    ]);
    const injected = resolveParameters(defaults, { hidden: [16] }, { epochs: "3", optimizer: "sgd", tag: "007" });
    assert.equal(injectedSource(injected, "// injected"), [
      "// injected", "const hidden: number[] = [16];", "const epochs: number = 3;", 'let optimizer: "adam" | "sgd" = "sgd";', 'const tag: string = "007";',
    ].join("\n"));
    assert.throws(() => resolveParameters([], {}, { class: "1" }), (e: Error & { code?: string }) => e.code === "run:badParameterName");
    // a number or boolean parameter refuses other values before anything runs
    assert.throws(() => resolveParameters(defaults, {}, { epochs: "abc" }), (e: Error & { code?: string }) =>
      e.code === "run:parameterType" && /"epochs" is a number/.test(e.message) && /abc/.test(e.message) && /-p epochs=15/.test(e.message));
    assert.throws(() => resolveParameters(parameterDefaults("const fast: boolean = false;"), { fast: "yes" }, {}), (e: Error & { code?: string }) => e.code === "run:parameterType");
    assert.throws(() => resolveParameters(parameterDefaults("let n: number;"), {}, { n: "x" }), (e: Error & { code?: string }) => e.code === "run:parameterType" && /\(number\)/.test(e.message));
    assert.equal(resolveParameters(defaults, {}, { epochs: "2.5", tag: "12" })[1].value, "12", "a string parameter keeps digits as text");
  });

  it("reads papermill's command line (-p NAME VALUE, -p NAME=VALUE, -r, --parameters-file, -o)", () => {
    const file = outPath("params.json");
    fs.writeFileSync(file, JSON.stringify({ rate: 0.25, hidden: [4] }));
    const args = parseRunArguments(["nb.ipynb", "-p", "epochs", "3", "-p", "label=a=b", "-r", "seedText", "42", "-f", file, "-o", "out.ipynb", "--timeout-per-cell", "30", "--cwd", OUT, "-k", "lepton"])!;
    assert.equal(args.notebook, "nb.ipynb");
    assert.equal(args.output, "out.ipynb");
    assert.deepEqual(args.options.textParameters, { epochs: "3", label: "a=b" });
    assert.deepEqual(args.options.parameters, { seedText: "42", rate: 0.25, hidden: [4] });
    assert.equal(args.options.timeoutPerCell, 30);
    assert.equal(args.options.kernel, "lepton");
    assert.throws(() => parseRunArguments(["nb.ipynb", "--frobnicate"]), (e: Error & { code?: string }) => e.code === "run:badOption");
    assert.throws(() => parseRunArguments(["-p", "x", "1"]), (e: Error & { code?: string }) => e.code === "run:missingNotebook");
    fs.writeFileSync(file, "[1, 2]");
    assert.throws(() => parseRunArguments(["nb.ipynb", "-f", file]), (e: Error & { code?: string }) => e.code === "run:parametersFileNotObject");
  });
});

/** Metrics printed by 02-training: the loss/accuracy values in its outputs, the finder's suggestion, the charts' data. */
function metrics(nb: Notebook): string[] {
  const out: string[] = [];
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      const t = String(o.text ?? o.data?.["text/plain"] ?? "");
      for (const m of t.matchAll(/\b((?:val_)?(?:loss|accuracy)) (\d+\.\d+)/g)) out.push(`${m[1]}=${m[2]}`);
      for (const m of t.matchAll(/Suggested learning rate: (\S+)/g)) out.push(`lr=${m[1]}`);
      const fig = o.data?.["application/vnd.plotly.v1+json"] as { data?: { name?: string; y?: number[] }[] } | undefined;
      for (const trace of fig?.data ?? []) if (/loss|accuracy/.test(trace.name ?? "")) out.push(`${trace.name}=${JSON.stringify(trace.y)}`);
    }
  }
  return out;
}

describe("lepton run: headless runs on the Lepton kernel", function () {
  this.timeout(240_000);
  const first = outPath("params-out.ipynb");
  const failed = outPath("params-failed.ipynb");
  const training = [outPath("02-a.ipynb"), outPath("02-b.ipynb")];
  let ok: Cli;
  let bad: Cli;
  let slow: Cli & { seconds: number };
  let trainingRuns: Cli[];

  after(() => fs.rmSync(OUT, { recursive: true, force: true }));

  before(async () => {
    const file = outPath("rate.json");
    fs.writeFileSync(file, JSON.stringify({ rate: 0.25 }));
    const fixture = async () => {
      ok = await lepton([path.join(FIXTURES, "params.ipynb"), "-p", "epochs=3", "-p", "label", "hello", "--parameters-file", file, "-o", first]);
      // The failure path re-runs the output notebook: its injected cell must be replaced, not doubled.
      bad = await lepton([first, failed, "-p", "fail=true"]);
      const t0 = Date.now();
      slow = { ...(await lepton([path.join(FIXTURES, "slow.ipynb"), outPath("slow.ipynb"), "--timeout-per-cell", "2"])), seconds: (Date.now() - t0) / 1000 };
    };
    // 02-training shortened by parameters, beside the fixture runs to save time. Its two runs go
    // side by side when the notebook lets each keep its runs in a folder of its own (a runsDir
    // parameter), else one after the other (they would share one folder).
    const nb = path.join(ROOT, "notebooks", "02-training.ipynb");
    const params = read(nb).cells.find((c) => tags(c).includes("parameters"));
    const ownFolders = !!params && parameterDefaults(src(params)).some((d) => d.name === "runsDir");
    const train = (o: string, i: number) => lepton([nb, o, "-p", "epochs=1", "-p", "trainSize=128", "-p", "batchSize=16", "-p", "seed=7",
      ...(ownFolders ? ["-p", `runsDir=${outPath(`runs-${i}`)}`] : [])]);
    const twice = async () => {
      if (ownFolders) trainingRuns = await Promise.all(training.map(train));
      else trainingRuns = [await train(training[0], 0), await train(training[1], 1)];
    };
    await Promise.all([fixture(), twice()]);
  });

  it("injects typed declarations after the parameters cell; the cells see the injected values", () => {
    assert.equal(ok.code, 0, ok.stderr);
    const nb = read(first);
    const at = nb.cells.findIndex((c) => tags(c).includes("parameters"));
    const injected = nb.cells[at + 1];
    assert.deepEqual(tags(injected), ["injected-parameters"]);
    assert.match(src(injected), /^const epochs: number = 3;$/m);
    assert.match(src(injected), /^const label: string = "hello";$/m);
    assert.match(src(injected), /^const rate: number = 0.25;$/m);
    // The defaults stay as they were; `const epochs` is declared again by the injected cell (legal: each cell is a module).
    assert.match(src(nb.cells[at]), /^const epochs = 2;$/m);
    const out = nb.cells.map(text).join("\n");
    assert.match(out, /epochs=3 rate=0.25 label=hello types=number,string,boolean/);
    assert.match(out, /^30$/m, "epochs * 10 is computed with a number");
    for (const c of nb.cells.filter((c) => c.cell_type === "code")) {
      assert.ok(typeof c.execution_count === "number", `every code cell ran: ${src(c)}`);
      assert.ok(!(c.outputs ?? []).some((o) => o.output_type === "error"), `no error in ${src(c)}`);
    }
    const progress = ok.stderr.split("\n").filter((l) => /^\[\d+\/7\] cell \d+ ok/.test(l));
    assert.equal(progress.length, 7, `one progress line per code cell:\n${ok.stderr}`);
  });

  it("records the environment in metadata.lepton", () => {
    const meta = read(first).metadata.lepton;
    assert.equal(meta.status, "completed");
    assert.deepEqual(meta.parameters, { rate: 0.25, epochs: 3, label: "hello" });
    assert.equal(meta.defaults.epochs, 2);
    assert.equal(meta.seed, 1, "the seed parameter's value");
    const pkg = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
    assert.equal(meta.versions.tfjs, pkg("@tensorflow/tfjs"));
    assert.equal(meta.versions.typescript, pkg("typescript"));
    assert.equal(meta.versions.lepton, JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    assert.equal(meta.versions.node, process.versions.node);
    assert.ok(["wasm", "cpu", "tensorflow", "webgl"].includes(meta.backend), `backend: ${meta.backend}`);
    const iris = fs.readFileSync(path.join(ROOT, "datasets", "uci", "iris.csv"));
    assert.equal(meta.data["datasets/uci/iris.csv"], `sha256:${createHash("sha256").update(iris).digest("hex")}`);
    assert.ok(!Object.keys(meta.data).some((k) => k.includes("mnist")), "only the data the notebook names");
    assert.ok(Date.parse(meta.start) <= Date.parse(meta.end));
  });

  it("a failing cell: exit code 1, the cell and its error named, the output written, later cells not run", () => {
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /Cell 6 failed \(if \(fail\) throw new Error.*\): Error: asked to fail after 2 epochs/);
    assert.match(bad.stderr, /\[6\/7\] cell 6 FAILED/);
    const nb = read(failed);
    assert.equal(nb.cells.filter((c) => tags(c).includes("injected-parameters")).length, 1, "the injected cell is replaced");
    assert.match(src(nb.cells[2]), /^let fail: boolean = true;$/m);
    assert.doesNotMatch(src(nb.cells[2]), /epochs/);
    const error = nb.cells[6].outputs!.find((o) => o.output_type === "error")!;
    assert.equal(error.ename, "Error");
    assert.match(error.evalue, /asked to fail after 2 epochs/);
    assert.equal(nb.cells[7].execution_count, null);
    assert.deepEqual(nb.cells[7].outputs, []);
    const meta = nb.metadata.lepton;
    assert.equal(meta.status, "failed");
    assert.deepEqual({ ...meta.error, evalue: undefined }, { cell: 6, firstLine: "if (fail) throw new Error(`asked to fail after ${epochs} ep…", ename: "Error", evalue: undefined });
  });

  it("--timeout-per-cell interrupts a cell that runs too long and fails the run", () => {
    assert.equal(slow.code, 1, slow.stderr);
    assert.match(slow.stderr, /\[1\/3\] cell 0 ok/);
    assert.match(slow.stderr, /Cell 1 failed \(await new Promise.*\): CellTimeoutError: The cell ran longer than 2 s/);
    assert.ok(slow.seconds < 50, `interrupted, not waited out: ${slow.seconds} s`);
    const nb = read(outPath("slow.ipynb"));
    assert.ok(nb.cells[1].outputs!.some((o) => o.output_type === "error" && o.ename === "CellTimeoutError"));
    assert.equal(nb.cells[2].execution_count, null);
    assert.equal(nb.metadata.lepton.error.ename, "CellTimeoutError");
  });

  it("the output notebooks are valid nbformat (Jupyter's own validator)", async () => {
    const files = [first, failed, outPath("slow.ipynb"), ...training];
    const r = await run(PYTHON, ["-c", "import nbformat, sys\nfor f in sys.argv[1:]: nbformat.validate(nbformat.read(f, as_version=4))", ...files], { env: process.env });
    assert.equal(r.code, 0, r.stderr);
  });

  it("a notebook that does not exist: exit code 2 and the path named", async () => {
    const r = await lepton([outPath("missing.ipynb")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.ipynb does not exist/);
  });

  it("02-training run twice with the same seed gives identical metrics", () => {
    trainingRuns.forEach((r) => assert.equal(r.code, 0, r.stderr));
    const [a, b] = training.map((o) => metrics(read(o)));
    assert.ok(a.length >= 6, `02-training shows its metrics: ${a.join(", ")}`);
    assert.ok(new Set(a.map((m) => m.split("=")[1])).size > 2, `the metrics are not all the same value: ${a.join(", ")}`);
    assert.deepEqual(b, a);
    assert.equal(read(training[0]).metadata.lepton.seed, 7);
    assert.ok(Object.keys(read(training[0]).metadata.lepton.data).some((k) => k.startsWith("datasets/mnist/")), "the MNIST files are hashed");
  });
});
