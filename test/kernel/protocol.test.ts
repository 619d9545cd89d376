/**
 * The kernel over ZeroMQ, as a Jupyter frontend sees it: what jupyter_kernel_test does not cover
 * (interrupts, stdin, comms, display updates, restart, bad signatures, stray errors).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { encode, newHeader } from "../../src/jupyter/wire";
import { KernelClient, resultText, streamText } from "../support/kernel-client";

describe("kernel protocol over ZeroMQ", function () {
  this.timeout(120_000);
  let k: KernelClient;
  before(async () => {
    k = new KernelClient();
    await k.start();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.error(`kernel log:\n${k.stderr.slice(-3000)}`);
  });
  after(async () => k.stop());

  it("answers kernel_info with full language_info and a banner naming the backend", async () => {
    const { reply } = await k.request("kernel_info_request", {});
    assert.equal(reply.content.protocol_version, "5.3");
    assert.equal(reply.content.language_info.name, "typescript");
    assert.equal(reply.content.language_info.file_extension, ".ts");
    assert.match(reply.content.banner, /backend: (gpu|node|tensorflow|wasm|cpu)/);
    assert.ok(reply.content.language_info.codemirror_mode);
  });

  it("keeps state across cells and returns the last expression as execute_result", async () => {
    await k.execute("let counter = 40;");
    const r = await k.execute("counter += 2;\ncounter");
    assert.equal(r.reply.content.status, "ok");
    assert.equal(resultText(r.iopub), "42");
    const input = r.iopub.find((m) => m.header.msg_type === "execute_input");
    assert.ok(input, "execute_input is published");
  });

  it("lets a cell re-declare a const from an earlier cell (re-running a cell)", async () => {
    await k.execute("const label = 'a';");
    const r = await k.execute("const label = 42;\nlabel * 2");
    assert.equal(resultText(r.iopub), "84");
  });

  it("streams stdout and stderr, also from async work that outlives the cell", async () => {
    const r = await k.execute("console.log('out'); console.error('err'); setTimeout(() => console.log('later'), 300);");
    assert.equal(streamText(r.iopub, "stdout"), "out\n");
    assert.equal(streamText(r.iopub, "stderr"), "err\n");
    const cellId = r.reply.parent_header.msg_id!;
    await k.execute("1");
    const late = await k.waitFor((m) => m.header.msg_type === "stream" && m.content.text.includes("later"));
    assert.equal(late.parent_header.msg_id, cellId, "late output goes to the cell that started it");
  });

  it("refuses to run a cell with a type error and reports line and column", async () => {
    const r = await k.execute("(globalThis as any).sideEffect = 1;\nconst n: number = 'text';");
    assert.equal(r.reply.content.status, "error");
    assert.equal(r.reply.content.ename, "TypeScriptError");
    assert.match(r.reply.content.evalue, /cell\[\d+\]:2:7 TS2322/);
    const err = r.iopub.find((m) => m.header.msg_type === "error");
    assert.ok(err);
    const check = await k.execute("(globalThis as any).sideEffect === undefined");
    assert.equal(resultText(check.iopub), "true", "the cell did not run");
  });

  it("maps runtime errors back to the cell's own line and column", async () => {
    const r = await k.execute("function fail(): never {\n  throw new RangeError('too far');\n}\nfail();");
    assert.equal(r.reply.content.ename, "RangeError");
    assert.equal(r.reply.content.evalue, "too far");
    const tb = r.reply.content.traceback.join("\n");
    assert.match(tb, /at fail \(cell\[\d+\]:2:9\)/);
  });

  it("forgets what a failed cell declared but never assigned, and a later use says which cell to run again", async () => {
    const failed = await k.execute("const early = 1;\nconst table = await Promise.reject(new Error('no such file'));\nconst after = 2;\nclass Late {}");
    assert.equal(failed.reply.content.evalue, "no such file");
    const cell = `cell[${failed.reply.content.execution_count}]`;
    assert.equal(resultText((await k.execute("early + 1")).iopub), "2", "names assigned before the error are kept");
    for (const use of ["table.length", "after", "new Late()", "const o = { table }"]) {
      const r = await k.execute(use);
      assert.equal(r.reply.content.ename, "TypeScriptError", use);
      assert.match(r.reply.content.evalue, /TS(2304|18004)/, use);
      assert.ok(r.reply.content.evalue.includes(`${cell} declares \``), `${use}: ${r.reply.content.evalue}`);
    }
    // an unrelated missing name gets TypeScript's message alone
    assert.doesNotMatch((await k.execute("neverDeclared")).reply.content.evalue, /declares/);
    // running the fixed cell again brings the names back
    await k.execute("const table = [1, 2, 3];\nconst after = 2;");
    assert.equal(resultText((await k.execute("table.length + after")).iopub), "5");
    // a declaration without a value, and a value that is undefined on purpose, are not failures
    await k.execute("let pending: number | undefined;\nconst nothing = undefined;");
    assert.equal(resultText((await k.execute("pending === nothing")).iopub), "true");
  });

  it("reports thrown non-Error values without dying", async () => {
    const r = await k.execute("throw 'plain string';");
    assert.equal(r.reply.content.status, "error");
    assert.equal(r.reply.content.evalue, '"plain string"');
    assert.equal(resultText((await k.execute("1 + 1")).iopub), "2");
  });

  it("survives an unhandled rejection after the cell finished", async () => {
    const r = await k.execute("setTimeout(() => Promise.reject(new Error('stray')), 100); 'done'");
    assert.equal(r.reply.content.status, "ok");
    await k.waitFor((m) => m.header.msg_type === "stream" && m.content.text.includes("stray"));
    assert.ok(k.alive());
    assert.equal(resultText((await k.execute("3")).iopub), "3");
  });

  it("supports top-level await", async () => {
    const r = await k.execute("const v = await new Promise<number>((r) => setTimeout(() => r(7), 50));\nv * 6");
    assert.equal(resultText(r.iopub), "42");
  });

  it("sends display_data, update_display_data with display ids, and clear_output", async () => {
    const r = await k.execute("display.html('<b>first</b>', { displayId: 'd1' });\ndisplay.html('<b>second</b>', { displayId: 'd1', update: true });\nclearOutput({ wait: true });");
    const shown = r.iopub.find((m) => m.header.msg_type === "display_data")!;
    assert.equal(shown.content.data["text/html"], "<b>first</b>");
    assert.equal(shown.content.transient.display_id, "d1");
    const upd = r.iopub.find((m) => m.header.msg_type === "update_display_data")!;
    assert.equal(upd.content.data["text/html"], "<b>second</b>");
    assert.equal(upd.content.transient.display_id, "d1");
    const clear = r.iopub.find((m) => m.header.msg_type === "clear_output")!;
    assert.equal(clear.content.wait, true);
  });

  it("renders objects that implement Symbol.for('Jupyter.display')", async () => {
    const r = await k.execute("({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<i>rich</i>', 'text/plain': 'rich' }; } })");
    const res = r.iopub.find((m) => m.header.msg_type === "execute_result")!;
    assert.equal(res.content.data["text/html"], "<i>rich</i>");
  });

  it("shows a model as its summary table and a loaded data set as its class counts, not their internals", async () => {
    const r = await k.execute("const model = lepton.zoo.lenet5();\nmodel");
    const res = r.iopub.find((m) => m.header.msg_type === "execute_result")!;
    assert.match(res.content.data["text/html"], /<td[^>]*>conv2\/conv<\/td><td[^>]*>Conv2D<\/td>/);
    assert.match(res.content.data["text/plain"], /Total params: 61,706/);
    const d = await k.execute("const iris = await lepton.datasets.load('iris');\niris");
    const shown = d.iopub.find((m) => m.header.msg_type === "execute_result")!;
    assert.match(shown.content.data["text/plain"], /^iris: 150 samples of shape \[4\] \(120 train, 30 test\), 3 classes/);
    assert.match(shown.content.data["text/html"], /<th>train<\/th><th>test<\/th>/);
    // Inside another value, each is one line.
    const both = await k.execute("({ model, train: iris.train })");
    const text = resultText(both.iopub) ?? "";
    assert.match(text, /model: Model "lenet5": 61,706 parameters/);
    assert.match(text, /train: train: 120 samples of shape \[4\], 3 classes/);
    assert.ok(text.length < 300, text);
    // `lepton` itself: the overview of its namespaces, not a list of getters.
    const lib = await k.execute("lepton");
    const overview = lib.iopub.find((m) => m.header.msg_type === "execute_result")!;
    assert.match(overview.content.data["text/plain"], /^lepton \d+\.\d+\.\d+ \(backend \w+\)/);
    assert.match(overview.content.data["text/html"], /lepton\.datasets\.load\(&quot;mnist&quot;\)/);
  });

  it("runs tslab notebooks' display calls unchanged", async () => {
    const r = await k.execute("import * as tslab from 'tslab';\ntslab.display.html('<u>tslab</u>');\nconst d = tslab.newDisplay(); d.text('one'); d.text('two');");
    const shown = r.iopub.filter((m) => m.header.msg_type === "display_data");
    assert.equal(shown[0].content.data["text/html"], "<u>tslab</u>");
    assert.equal(shown[1].content.data["text/plain"], "one");
    assert.ok(r.iopub.some((m) => m.header.msg_type === "update_display_data" && m.content.data["text/plain"] === "two"));
  });

  it("imports ESM-only packages and local .ts files with their types", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-local-"));
    fs.writeFileSync(path.join(dir, "helper.ts"), "export function triple(n: number): number { return n * 3; }\n");
    const esm = await k.execute("import { franc } from 'franc';\nfranc('Alle Menschen sind frei und gleich an Würde und Rechten geboren.')");
    assert.equal(resultText(esm.iopub), "'deu'");
    const local = await k.execute(`import { triple } from ${JSON.stringify(path.join(dir, "helper.ts").replace(/\.ts$/, ""))};\ntriple(14)`);
    assert.equal(resultText(local.iopub), "42");
    const typed = await k.execute("const bad: string = triple(1);");
    assert.equal(typed.reply.content.ename, "TypeScriptError", "imported functions keep their types across cells");
  });

  it("imports a package without type declarations as any, with a note on how to get types", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-untyped-"));
    fs.writeFileSync(path.join(dir, "untyped.js"), "module.exports = { twice: (n) => n * 2 };\n");
    const spec = JSON.stringify(path.join(dir, "untyped"));
    const r = await k.execute(`import * as u from ${spec};\nu.twice(21)`);
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(resultText(r.iopub), "42");
    assert.match(streamText(r.iopub, "stderr"), /has no type declarations, so its values are typed any/);
    assert.equal(resultText((await k.execute("u.twice(2)")).iopub), "4", "later cells use it too");
    // a module that does not exist at all is still an error
    assert.equal((await k.execute(`import * as v from ${JSON.stringify(path.join(dir, "missing"))};`)).reply.content.ename, "TypeScriptError");
  });

  it("asks for input over stdin, with password mode", async () => {
    const prompts: [string, boolean][] = [];
    k.onInput = (prompt, password) => { prompts.push([prompt, password]); return password ? "s3cret" : "Ada"; };
    const r = await k.execute("const who = await input('Name: ');\nconst pw = await input('Password: ', { password: true });\n`${who}:${pw.length}`");
    assert.equal(resultText(r.iopub), "'Ada:6'");
    assert.deepEqual(prompts, [["Name: ", false], ["Password: ", true]]);
  });

  it("refuses input() when the frontend does not allow stdin", async () => {
    const r = await k.execute("await input('x')", { allow_stdin: false });
    assert.equal(r.reply.content.status, "error");
    assert.match(r.reply.content.evalue, /allow_stdin/);
  });

  it("opens comms both ways and answers comm_info", async () => {
    await k.execute("comms.registerTarget('echo', (comm, data) => { comm.send({ opened: data }); comm.onMessage((d) => comm.send({ echo: d })); });");
    await k.send("comm_open", { comm_id: "c-1", target_name: "echo", data: { hello: 1 } });
    const opened = await k.waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === "c-1" && !!m.content.data.opened);
    assert.deepEqual(opened.content.data.opened, { hello: 1 });
    await k.send("comm_msg", { comm_id: "c-1", data: { n: 5 } });
    const echoed = await k.waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === "c-1" && !!m.content.data.echo);
    assert.deepEqual(echoed.content.data.echo, { n: 5 });
    const info = await k.request("comm_info_request", { target_name: "echo" });
    assert.deepEqual(info.reply.content.comms["c-1"], { target_name: "echo" });
    const r = await k.execute("const mine = comms.open('frontend.target', { x: 1 }); mine.id");
    const open = r.iopub.find((m) => m.header.msg_type === "comm_open")!;
    assert.equal(open.content.target_name, "frontend.target");
    assert.deepEqual(open.content.data, { x: 1 });
    await k.send("comm_open", { comm_id: "c-2", target_name: "nobody", data: {} });
    await k.waitFor((m) => m.header.msg_type === "comm_close" && m.content.comm_id === "c-2");
  });

  it("interrupts a synchronous busy loop by SIGINT and keeps every variable", async () => {
    await k.execute("const kept = 'still here';");
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lepton-spin-")), "spinning");
    const id = await k.send("execute_request", { code: `let spins = 0;\nrequire('fs').writeFileSync(${JSON.stringify(marker)}, '1');\nwhile (true) { spins++; }`, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await waitForFile(marker);
    assert.ok(await k.heartbeat(), "heartbeat answers while the main thread is busy");
    k.proc.kill("SIGINT");
    const reply = await k.receive("shell", 20_000);
    assert.equal(reply.parent_header.msg_id, id);
    assert.equal(reply.content.status, "error");
    assert.equal(reply.content.ename, "Interrupted");
    const after = await k.execute("`${kept} ${spins > 0}`");
    assert.equal(resultText(after.iopub), "'still here true'");
  });

  it("interrupts an awaiting cell by interrupt_request and aborts its signal", async () => {
    const id = await k.send("execute_request", { code: "(globalThis as any).sig = cellSignal;\nawait new Promise((r) => setTimeout(r, 60_000));", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await new Promise((r) => setTimeout(r, 800));
    const t0 = Date.now();
    await k.send("interrupt_request", {}, "control");
    const ir = await k.receive("control", 10_000);
    assert.equal(ir.header.msg_type, "interrupt_reply");
    assert.equal(ir.content.status, "ok");
    const reply = await k.receive("shell", 10_000);
    assert.equal(reply.parent_header.msg_id, id);
    assert.equal(reply.content.ename, "Interrupted");
    assert.ok(Date.now() - t0 < 5000);
    const aborted = await k.execute("(globalThis as any).sig.aborted");
    assert.equal(resultText(aborted.iopub), "true");
  });

  it("interrupts a synchronous loop by interrupt_request (control runs on its own thread)", async () => {
    const id = await k.send("execute_request", { code: "while (true) {}", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await new Promise((r) => setTimeout(r, 800));
    await k.send("interrupt_request", {}, "control");
    await k.receive("control", 10_000);
    const reply = await k.receive("shell", 10_000);
    assert.equal(reply.parent_header.msg_id, id);
    assert.equal(reply.content.ename, "Interrupted");
  });

  it("aborts queued cells after an error (stop_on_error)", async () => {
    const failing = await k.send("execute_request", { code: "await new Promise((r) => setTimeout(r, 500));\nthrow new Error('first');", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const queued = await k.send("execute_request", { code: "(globalThis as any).ranAfter = true;", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const replies = [await k.receive("shell", 20_000), await k.receive("shell", 20_000)];
    assert.equal(replies.find((r) => r.parent_header.msg_id === failing)!.content.status, "error");
    assert.equal(replies.find((r) => r.parent_header.msg_id === queued)!.content.status, "aborted");
    assert.equal(resultText((await k.execute("(globalThis as any).ranAfter === undefined")).iopub), "true");
  });

  it("completes with type information and code-point cursor offsets in non-ASCII text", async () => {
    await k.execute("const 名前の長さ = 3;\nconst emoji = '😀😀';");
    const code = "emoji.length + 名前";
    const r = await k.request("complete_request", { code, cursor_pos: [...code].length });
    assert.ok(r.reply.content.matches.includes("名前の長さ"), JSON.stringify(r.reply.content.matches.slice(0, 10)));
    assert.equal(r.reply.content.cursor_start, [..."emoji.length + "].length);
    assert.equal(r.reply.content.cursor_end, [...code].length);
    const code2 = "const s = '😀';\nlepton.loc";
    const r2 = await k.request("complete_request", { code: code2, cursor_pos: [...code2].length });
    assert.deepEqual(r2.reply.content.matches, ["locale"]);
    assert.equal(r2.reply.content.cursor_start, [...code2].length - 3);
  });

  it("completes a DataFrame's column names inside a string argument, as IPython does for df[\"...", async () => {
    await k.execute('const people = lepton.data.DataFrame.fromColumns({ age: [31], agency: ["x"], "名前": ["y"], name: ["z"] });');
    const at = async (code: string) => (await k.request("complete_request", { code, cursor_pos: [...code].length })).reply.content;
    const a = await at('people.values("ag');
    assert.deepEqual(a.matches, ["age", "agency"]);
    assert.equal(a.cursor_start, [...'people.values("'].length);
    assert.deepEqual((await at("people.sortBy(['name', 'a")).matches, ["age", "agency"]);
    assert.deepEqual((await at('people.groupBy("名')).matches, ["名前"]);
    assert.deepEqual((await at('lepton.plot.scatter({ data: people, x: "age", y: "ag')).matches, ["age", "agency"]);
    assert.deepEqual((await at('people.groupBy("name").agg({ age: "mean", "ag')).matches, ["age", "agency"]);
    // not a frame, or not a column argument: TypeScript's own completion
    const other = await at('people.writeCSV("ag');
    assert.ok(!other.matches.includes("agency"), JSON.stringify(other.matches));
    assert.ok((await at("people.sor")).matches.includes("sortBy"));
  });

  it("inspects a symbol: signature and TSDoc with its example", async () => {
    const code = "lepton.locale";
    const r = await k.request("inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
    assert.equal(r.reply.content.found, true);
    assert.match(r.reply.content.data["text/plain"], /function locale/);
    assert.match(r.reply.content.data["text/markdown"], /Example/);
  });

  it("keeps history (tail, range, search)", async () => {
    const tail = await k.request("history_request", { hist_access_type: "tail", n: 3, output: false, raw: true });
    assert.equal(tail.reply.content.history.length, 3);
    const search = await k.request("history_request", { hist_access_type: "search", pattern: "let counter*", output: false, raw: true });
    assert.equal(search.reply.content.history[0][2], "let counter = 40;");
    const range = await k.request("history_request", { hist_access_type: "range", session: 0, start: 1, stop: 3, output: false, raw: true });
    assert.deepEqual(range.reply.content.history.map((h: unknown[]) => h[1]), [1, 2]);
  });

  it("refuses badly signed and malformed messages and keeps running", async () => {
    const header = newHeader("execute_request", "intruder");
    const frames = encode(k.signer, [], header, {}, { code: "globalThis.hacked = true", silent: false });
    frames[frames.indexOf("<IDS|MSG>") + 1] = "0".repeat(64);
    await k.sendRaw("shell", frames);
    await k.sendRaw("shell", ["<IDS|MSG>", "sig", "{not json", "{}", "{}", "{}"]);
    await k.send("no_such_request", {});
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(k.alive());
    assert.equal(resultText((await k.execute("(globalThis as any).hacked === undefined")).iopub), "true");
  });

  it("says whether code is complete", async () => {
    const ask = async (code: string) => (await k.request("is_complete_request", { code })).reply.content;
    assert.equal((await ask("let a = 1;")).status, "complete");
    assert.equal((await ask("function f() {")).status, "incomplete");
    assert.equal((await ask("const s = `open ${1}")).status, "incomplete");
    assert.equal((await ask("let = ;")).status, "invalid");
  });
});

async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 100));
}

describe("kernel messages follow the locale", function () {
  this.timeout(120_000);

  it("speaks Chinese under LEPTON_LOCALE=zh-CN, TypeScript's diagnostics included, and back in English on lepton.locale('en')", async () => {
    const k = new KernelClient();
    await k.start({ LEPTON_LOCALE: "zh-CN" });
    try {
      const info = await k.request("kernel_info_request", {});
      assert.match(info.reply.content.banner, /已预先加载/);
      const zh = await k.execute("const q: number = 'x';");
      assert.equal(zh.reply.content.ename, "TypeScriptError", "the error type does not change with the locale");
      assert.match(zh.reply.content.evalue, /TS2322: 不能将类型/);
      const refused = await k.execute("await input('?')", { allow_stdin: false });
      assert.match(refused.reply.content.evalue, /无法使用 input\(\)/);
      await k.execute("lepton.locale('en');");
      const en = await k.execute("const q: number = 'x';");
      assert.match(en.reply.content.evalue, /TS2322: Type 'string' is not assignable/);
    } finally {
      await k.stop();
    }
  });
});

describe("kernel shutdown and restart", function () {
  this.timeout(120_000);

  it("shuts down on request (restart: true) and a new kernel starts with fresh state", async () => {
    const k = new KernelClient();
    await k.start();
    await k.execute("const old = 1;");
    const r = await k.request("shutdown_request", { restart: true }, "control", 10_000);
    assert.equal(r.reply.content.restart, true);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(k.alive(), false, "the process exited");
    await k.stop();
    const k2 = new KernelClient();
    await k2.start();
    const again = await k2.execute("typeof (globalThis as any).old");
    assert.equal(resultText(again.iopub), "'undefined'");
    await k2.stop();
  });
});
