import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { installHost, type DisplayOptions, type MimeBundle } from "../../src/runtime/host";
import { blobs } from "./helpers";

describe("fit live output in a notebook", () => {
  before(async () => { await tf.setBackend("cpu"); });
  afterEach(() => installHost(undefined));

  it("updates one progress output in place (rate-limited), one chart, and reports an interrupt from the cell signal", async () => {
    const calls: { bundle: MimeBundle; options?: DisplayOptions }[] = [];
    const ctrl = new AbortController();
    installHost({ name: "test", display: (bundle, options) => calls.push({ bundle, options }), clearOutput: () => {}, signal: () => ctrl.signal });
    const model = zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });
    let batches = 0;
    const stopLater = { onBatchEnd: (_b: number, ctx: { epoch: number }) => { if (++batches === 25 && ctx.epoch === 2) ctrl.abort(); } };
    const h = await fit(model, blobs(80), { epochs: 4, batchSize: 8, validationData: blobs(20, 4, 5), callbacks: [stopLater] });
    assert.equal(h.stopReason, "interrupted");
    const progress = calls.filter((c) => c.options?.displayId?.startsWith("lepton-fit"));
    const ids = new Set(progress.map((c) => c.options!.displayId));
    assert.equal(ids.size, 1, "one progress output");
    assert.equal(progress[0].options!.update, false);
    assert.ok(progress.slice(1).every((c) => c.options!.update === true));
    assert.ok(progress.length < batches, `${progress.length} updates for ${batches} batches`);
    const last = String(progress[progress.length - 1].bundle["text/plain"]);
    assert.match(last, /Interrupted at epoch 3, batch 5 of 10/);
    assert.match(String(progress[0].bundle["text/plain"]), /Epoch \d\/4/);
    const charts = calls.filter((c) => c.bundle["application/vnd.plotly.v1+json"]);
    const chartIds = new Set(charts.map((c) => c.options?.displayId));
    assert.equal(chartIds.size, 1, "one chart output, updated in place");
    assert.ok(charts.length >= 2);
  });

  it("verbose: false and Keras' verbose: 0 show nothing; 1 and 2 show progress", async () => {
    for (const [verbose, shows] of [[false, false], [0, false], [1, true], [2, true], [true, true]] as const) {
      const calls: MimeBundle[] = [];
      installHost({ name: "test", display: (bundle) => calls.push(bundle), clearOutput: () => {}, signal: () => undefined });
      await fit(zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [4] }), blobs(16), { epochs: 1, batchSize: 8, verbose });
      assert.equal(calls.length > 0, shows, `verbose: ${verbose}`);
    }
  });
});
