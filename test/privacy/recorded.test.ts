/**
 * Saved model bundles (`lepton.json`) and run folders (`config.json`) record which privacy
 * transforms were applied to the training data, and never the secret or the personal values.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as lepton from "../../src/index";

const { DataFrame, privacy } = lepton.data;
const SECRET = "workshop-secret-7f3a";

function customers() {
  return DataFrame.fromColumns({
    customer_name: ["Ada Lovelace", "李小龙", "Olu Ade", "Grace Hopper"],
    email: ["ada@example.com", "li@example.cn", "olu@example.ng", "grace@example.org"],
    phone: ["+44 20 7946 0958", "+86 138 0013 8000", "(555) 010-9999", "+1 202 555 0143"],
    spend: [12.5, 30, 7, 19],
    churned: [0, 1, 0, 1],
  });
}

function tinyModel(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 2, activation: "softmax", kernelInitializer: "zeros" })] });
}

describe("privacy: bundles and run folders record the transforms applied", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-privacy-")); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("lepton.save(..., {privacy}) writes the report and log into lepton.json and load returns them", async () => {
    const df = customers();
    const report = privacy.detectPII(df);
    const { log } = privacy.protect(df, { report, secret: SECRET, action: { name: "drop" } });
    assert.deepEqual(report.columns.sort(), ["customer_name", "email", "phone"]);
    const model = tinyModel();
    const saved = await lepton.save(model, dir, { name: "churn", labels: ["stay", "churn"], privacy: [report, log] });
    const file = fs.readFileSync(path.join(saved.dir, "lepton.json"), "utf8");
    const manifest = JSON.parse(file) as { privacy?: { applied: unknown[]; detected?: { rows: number; findings: { column: string; kind: string }[] } } };
    assert.deepEqual(manifest.privacy?.applied, [
      { column: "customer_name", kind: "name", action: "drop" },
      { column: "email", kind: "email", action: "pseudonymise", algorithm: "HMAC-SHA256/16" },
      { column: "phone", kind: "phone", action: "pseudonymise", algorithm: "HMAC-SHA256/16" },
    ]);
    assert.equal(manifest.privacy?.detected?.rows, 4);
    assert.deepEqual(manifest.privacy?.detected?.findings.map((f) => `${f.column}:${f.kind}`).sort(), ["customer_name:name", "email:email", "phone:phone"]);
    // Neither the key nor a single personal value reaches the bundle.
    for (const leak of [SECRET, "ada@example.com", "李小龙", "7946"]) assert.ok(!file.includes(leak), `lepton.json holds ${leak}`);

    const bundle = await lepton.load(saved.dir);
    assert.deepEqual(bundle.privacy, manifest.privacy);
    assert.deepEqual(bundle.manifest.privacy, manifest.privacy);
    model.dispose();
    bundle.model.dispose();
  });

  it("accepts protect()'s whole result without writing the protected frame", async () => {
    const result = privacy.protect(customers(), { action: "mask" });
    const model = tinyModel();
    const saved = await lepton.save(model, dir, { name: "m", privacy: result });
    const file = fs.readFileSync(path.join(saved.dir, "lepton.json"), "utf8");
    const manifest = JSON.parse(file) as { privacy: { applied: { column: string; action: string }[]; detected?: unknown } };
    assert.deepEqual(manifest.privacy.applied.map((r) => `${r.column}:${r.action}`), ["customer_name:mask", "email:mask", "phone:mask"]);
    assert.equal(manifest.privacy.detected, undefined);
    assert.ok(!file.includes("a***@example.com") && !file.includes("spend"), "no frame contents");
    model.dispose();
  });

  it("a bundle saved without privacy has none, and a wrong privacy value is refused before writing", async () => {
    const model = tinyModel();
    const plain = await lepton.save(model, dir, { name: "plain" });
    assert.equal((await lepton.load(plain.dir)).privacy, undefined);
    assert.ok(!("privacy" in JSON.parse(fs.readFileSync(path.join(plain.dir, "lepton.json"), "utf8"))));
    await assert.rejects(
      lepton.save(model, dir, { name: "bad", privacy: { email: "hashed" } as never }),
      (e: unknown) => e instanceof lepton.LeptonError && e.code === "privacy:badRecord",
    );
    await assert.rejects(
      lepton.save(model, dir, { name: "bad", privacy: [{ column: "email", kind: "email", action: "encrypt" }] as never }),
      (e: unknown) => e instanceof lepton.LeptonError && e.code === "privacy:badRecord",
    );
    assert.ok(!fs.existsSync(path.join(dir, "bad")), "nothing written for a refused save");
    model.dispose();
  });

  it("only whitelisted fields are kept: a secret slipped into a record is dropped", () => {
    const summary = privacy.privacySummary([{ column: "email", kind: "email", action: "pseudonymise", algorithm: "HMAC-SHA256/16", secret: SECRET } as never]);
    assert.deepEqual(summary, { applied: [{ column: "email", kind: "email", action: "pseudonymise", algorithm: "HMAC-SHA256/16" }] });
    assert.ok(!JSON.stringify(summary).includes(SECRET));
    // The JSON written to disk reads back as the same summary (a bundle can be re-saved).
    assert.deepEqual(privacy.privacySummary(JSON.parse(JSON.stringify(summary))), summary);
  });

  it("lepton.fit(..., {run, privacy}) writes the record into the run folder's config.json", async () => {
    const df = customers();
    const { frame, log } = privacy.protect(df, { secret: SECRET });
    assert.ok(frame.values("email").every((v) => typeof v === "string" && /^[0-9a-f]{16}$/.test(v)));
    const x = tf.tensor2d(frame.values("spend").map((v) => [Number(v) / 30]));
    const y = tf.tensor1d(frame.values("churned").map(Number), "int32");
    const model = tinyModel();
    const history = await lepton.fit(model, { x, y }, { epochs: 1, batchSize: 4, verbose: false, run: "churn", runsDir: dir, privacy: log });
    assert.equal(history.runDir, path.join(dir, "churn"));
    const text = fs.readFileSync(path.join(dir, "churn", "config.json"), "utf8");
    const config = JSON.parse(text) as { epochs: number; privacy?: { applied: { column: string; action: string }[] } };
    assert.equal(config.epochs, 1);
    assert.deepEqual(config.privacy?.applied.map((r) => `${r.column}:${r.action}`), ["customer_name:pseudonymise", "email:pseudonymise", "phone:pseudonymise"]);
    assert.ok(!text.includes(SECRET) && !text.includes("ada@example.com"));

    // Without privacy the config has no such entry.
    await lepton.fit(model, { x, y }, { epochs: 1, batchSize: 4, verbose: false, run: "plain", runsDir: dir });
    assert.ok(!("privacy" in JSON.parse(fs.readFileSync(path.join(dir, "plain", "config.json"), "utf8"))));
    tf.dispose([x, y]);
    model.dispose();
  });
});
