import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ev from "../../src/evaluate/index";
import { LeptonError } from "../../src/i18n/index";
import { installHost } from "../../src/runtime/host";
import { currentSeed, seed } from "../../src/backend/random";
import { objective } from "./fixtures/search-objective";

const fixture = path.join(__dirname, "fixtures", "search-objective.ts");
const metricsOf = (r: ev.SearchResult) => r.trials.map((tr) => ({ index: tr.index, params: tr.params, metrics: tr.metrics }));

describe("evaluate: search on worker threads", function () {
  this.timeout(120000);
  before(async () => { await tf.setBackend("cpu"); });

  it("gridSearch on 2 worker threads gives exactly the trials of one thread for the same seed", async () => {
    const space = { lr: [0.05, 0.01], hidden: [4, 8] };
    const here = await ev.gridSearch(space, objective, { seed: 7 });
    const fromModule = await ev.gridSearch(space, { module: fixture }, { seed: 7 });
    const parallel = await ev.gridSearch(space, { module: fixture }, { seed: 7, workers: 2 });
    assert.equal(parallel.trials.length, 4);
    assert.deepEqual(metricsOf(fromModule), metricsOf(here));
    assert.deepEqual(metricsOf(parallel), metricsOf(here));
    // The trials really differ (so equality above is not vacuous), and the seed matters.
    assert.equal(new Set(here.trials.map((tr) => tr.metrics.loss)).size, 4);
    const other = await ev.gridSearch(space, objective, { seed: 8 });
    assert.notDeepEqual(other.trials.map((tr) => tr.metrics.loss), here.trials.map((tr) => tr.metrics.loss));
    assert.equal(parallel.best.index, here.best.index);
  });

  it("randomSearch on workers equals one thread, and the global seed is restored after a search", async () => {
    seed(123);
    const space = { lr: { min: 0.005, max: 0.1, log: true }, hidden: [4, 6] };
    const here = await ev.randomSearch(space, objective, { trials: 3, seed: 3 });
    assert.equal(currentSeed(), 123);
    seed(null);
    const parallel = await ev.randomSearch(space, { module: fixture, export: "objective" }, { trials: 3, seed: 3, workers: 2 });
    assert.deepEqual(metricsOf(parallel), metricsOf(here));
    assert.equal(currentSeed(), undefined);
  });

  it("bad worker settings and failing objectives give clear errors, never a hang", async () => {
    const code = (c: string, pattern?: RegExp) => (e: unknown) => e instanceof LeptonError && e.code === c && (!pattern || pattern.test(e.message));
    await assert.rejects(ev.gridSearch({ a: [1, 2] }, () => 1, { workers: 2 }), code("evaluate:workersNeedModule", /module/));
    await assert.rejects(ev.gridSearch({ a: [1, 2] }, { module: fixture }, { workers: 0 }), code("evaluate:badWorkers"));
    await assert.rejects(ev.gridSearch({ a: [1, 2, 3] }, { module: fixture, export: "failing" }, { workers: 2 }), code("evaluate:trialFailed", /Trial 2 .*a = 2/));
    await assert.rejects(ev.gridSearch({ a: [1] }, { module: fixture, export: "nothing" }, { workers: 2 }), code("evaluate:objectiveNotExported", /objective, failing, stallsAfterThree/));
    await assert.rejects(ev.gridSearch({ a: [1] }, { module: "./no/such/objective.ts" }), code("evaluate:objectiveModuleFailed", /no\/such\/objective\.ts/));
  });

  it("an interrupt ends a parallel search between trials, keeping the finished ones", async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lepton-search-")), "done.txt");
    fs.writeFileSync(marker, "");
    const ctrl = new AbortController();
    installHost({ name: "test", display: () => {}, clearOutput: () => {}, signal: () => ctrl.signal });
    // Interrupt once trials 0-2 have finished (the workers then wait in trials 3 and 4), leaving
    // their results time to reach this thread: the marker is written before a result is sent.
    let seenAt = 0;
    const poll = setInterval(() => {
      if (seenAt === 0 && fs.readFileSync(marker, "utf8").split("\n").length > 3) seenAt = Date.now();
      if (seenAt > 0 && Date.now() - seenAt > 300) ctrl.abort();
    }, 20);
    let result: ev.SearchResult;
    let abortedAt = 0;
    ctrl.signal.addEventListener("abort", () => { abortedAt = Date.now(); });
    try {
      result = await ev.gridSearch({ a: Array.from({ length: 200 }, (_, i) => i), marker: [marker] }, { module: fixture, export: "stallsAfterThree" }, { workers: 2, metric: "score" });
    } finally {
      clearInterval(poll);
      installHost(undefined);
      fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    }
    assert.ok(result.stopped);
    assert.deepEqual(result.trials.map((tr) => tr.params.a).sort(), [0, 1, 2], "the finished trials, and only those");
    // The two running trials would take a minute: the interrupt terminates them.
    assert.ok(Date.now() - abortedAt < 2000, `stopped ${Date.now() - abortedAt} ms after the interrupt`);
    result.trials.forEach((tr) => assert.equal(tr.metrics.score, tr.params.a));
  });
});
