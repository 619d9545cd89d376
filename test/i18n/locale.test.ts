/**
 * Switching the locale, detecting it from the environment, Intl formatting, and error codes that
 * stay the same in every language.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as lepton from "../../src/index";
import { catalogues } from "../../src/i18n/messages/index";
import { ROOT } from "./source-scan";

const CJK = /[\u4e00-\u9fff]/;

/** Runs a fresh Node with `env` (nothing inherited but PATH) and returns what the library picked. */
function detectIn(env: Record<string, string>): { locale: string; message: string } {
  const script = [
    'const i18n = require("./src/i18n/index");',
    'process.stdout.write(JSON.stringify({ locale: i18n.locale(), message: i18n.t("common:unknownLocale", { locale: "x" }) }));',
  ].join("\n");
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { locale: string; message: string };
}

describe("i18n: locale", () => {
  let before: lepton.Locale;
  beforeEach(() => { before = lepton.locale(); });
  afterEach(() => { lepton.locale(before); });

  it("lepton.locale() switches every message between English and Chinese", () => {
    lepton.locale("en");
    assert.equal(lepton.locale(), "en");
    assert.equal(lepton.t("privacy:kind.email"), catalogues.privacy.en["kind.email"]);
    lepton.locale("zh-CN");
    assert.equal(lepton.locale(), "zh-CN");
    assert.equal(lepton.t("privacy:kind.email"), "电子邮件地址");
    assert.equal(lepton.t("data:fileNotFound", { path: "/tmp/x.csv" }), catalogues.data.zh.fileNotFound.replace("{{path}}", "/tmp/x.csv"));
    // Region and encoding suffixes normalise; unknown languages are refused with a stable code.
    assert.equal(lepton.locale("zh_CN.UTF-8"), "zh-CN");
    assert.equal(lepton.locale("en-GB"), "en");
    assert.throws(() => lepton.locale("fr"), (e: unknown) => e instanceof lepton.LeptonError && e.code === "common:unknownLocale" && /fr/.test(e.message));
    assert.equal(lepton.locale(), "en", "a refused locale leaves the current one");
  });

  it("detectLocale follows LEPTON_LOCALE, then LC_ALL / LC_MESSAGES / LANG", () => {
    assert.equal(lepton.detectLocale({}), "en");
    assert.equal(lepton.detectLocale({ LANG: "zh_CN.UTF-8" }), "zh-CN");
    assert.equal(lepton.detectLocale({ LANG: "en_US.UTF-8", LC_ALL: "zh_TW.UTF-8" }), "zh-CN");
    assert.equal(lepton.detectLocale({ LANG: "zh_CN.UTF-8", LC_MESSAGES: "C" }), "en");
    assert.equal(lepton.detectLocale({ LANG: "zh_CN.UTF-8", LEPTON_LOCALE: "en" }), "en");
    assert.equal(lepton.detectLocale({ LANG: "en_US.UTF-8", LEPTON_LOCALE: "zh-CN" }), "zh-CN");
    assert.equal(lepton.detectLocale({ LEPTON_LOCALE: "", LANG: "zh_CN.UTF-8" }), "zh-CN", "an empty variable is skipped");
  });

  it("a fresh process picks its locale from the environment (LEPTON_LOCALE, then LANG)", function () {
    this.timeout(120_000);
    const zhMessage = catalogues.common.zh.unknownLocale.replace("{{locale}}", "x");
    const enMessage = catalogues.common.en.unknownLocale.replace("{{locale}}", "x");
    assert.deepEqual(detectIn({ LANG: "zh_CN.UTF-8" }), { locale: "zh-CN", message: zhMessage });
    assert.deepEqual(detectIn({ LANG: "zh_CN.UTF-8", LEPTON_LOCALE: "en_US" }), { locale: "en", message: enMessage });
    assert.deepEqual(detectIn({ LANG: "de_DE.UTF-8", LEPTON_LOCALE: "zh-CN" }), { locale: "zh-CN", message: zhMessage });
    assert.deepEqual(detectIn({}), { locale: "en", message: enMessage });
  });

  it("numbers and percentages follow the locale through Intl", () => {
    lepton.locale("en");
    assert.equal(lepton.formatNumber(1234567.5), "1,234,567.5");
    assert.equal(lepton.formatPercent(0.1234), "12.3%");
    assert.equal(lepton.formatNumber(12345, { notation: "compact" }), "12K");
    lepton.locale("zh-CN");
    assert.equal(lepton.formatNumber(1234567.5), "1,234,567.5");
    assert.equal(lepton.formatPercent(0.1234, 2), "12.34%");
    // Chinese groups large numbers by 万 (10^4) and 亿 (10^8), which only a zh-CN Intl knows.
    assert.equal(lepton.formatNumber(12345, { notation: "compact" }), "1.2万");
    assert.equal(lepton.formatNumber(3.2e8, { notation: "compact" }), "3.2亿");
    assert.ok(Intl.NumberFormat.supportedLocalesOf(["zh-CN"]).includes("zh-CN"), "Node has full ICU");
  });

  it("error types and codes are the same in every language; only the message changes", async () => {
    const missing = path.join(os.tmpdir(), `lepton-no-such-${process.pid}.csv`);
    assert.ok(!fs.existsSync(missing));
    const frame = lepton.data.DataFrame.fromColumns({ email: ["ada@example.com", "li@example.cn"] });
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
    const failures: Record<string, () => unknown> = {
      readCSV: () => lepton.data.readCSV(missing),
      protect: () => lepton.data.privacy.protect(frame, { action: "pseudonymise" }),
      fit: () => lepton.fit(model, { x: tf.zeros([4, 2]), y: tf.zeros([4, 1]) }, { epochs: 0, verbose: false }),
      line: () => lepton.plot.line({ x: [1, "b", 3] as unknown as number[], y: [1, 2, 3] }),
      locale: () => lepton.locale("xx"),
    };
    const caught = async (fn: () => unknown): Promise<lepton.LeptonError> => {
      try { await fn(); } catch (e) { assert.ok(e instanceof lepton.LeptonError, `not a LeptonError: ${String(e)}`); return e; }
      throw new Error("expected a LeptonError");
    };
    const seen: Record<string, { code: string; name: string; message: string; values: Record<string, unknown> }[]> = {};
    for (const lang of ["en", "zh-CN"] as const) {
      lepton.locale(lang);
      for (const [name, fn] of Object.entries(failures)) {
        const e = await caught(fn);
        (seen[name] ??= []).push({ code: e.code, name: e.name, message: e.message, values: e.values });
      }
    }
    model.dispose();
    lepton.locale("en");
    for (const [name, [en]] of Object.entries(seen)) assert.equal(en.message, lepton.t(en.code, en.values), `${name}: the message is the catalogue's`);
    for (const [name, [en, zh]] of Object.entries(seen)) {
      assert.equal(zh.code, en.code, name);
      assert.equal(zh.name, "LeptonError", name);
      assert.ok(en.code.includes(":"), `${name}: code ${en.code} is a catalogue key`);
      assert.ok(!CJK.test(en.message), `${name} en: ${en.message}`);
      assert.ok(CJK.test(zh.message), `${name} zh: ${zh.message}`);
      assert.notEqual(zh.message, en.message, name);
    }
    assert.deepEqual(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v[0].code])), {
      readCSV: "data:fileNotFound",
      protect: "privacy:secretRequired",
      fit: "train:badOption",
      line: "plot:notNumbers",
      locale: "common:unknownLocale",
    });
    // A value described in words is translated too ("an array of 3" / "长度为 3 的数组").
    assert.match(seen.line[1].message, /长度为 3 的数组/);
  });
});
