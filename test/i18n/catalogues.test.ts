/**
 * The message catalogues are complete in English and Chinese, every key the code names exists, and
 * no user-facing message is written or assembled outside the catalogues.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { catalogues } from "../../src/i18n/messages/index";
import { englishValues, keyUses, placeholders, sourceFiles, unlocalisedMessages } from "./source-scan";

const NAMESPACES = Object.keys(catalogues);

/** Files whose template literals write code or configuration (not messages to a person). */
const GENERATORS = ["src/deploy/dockerfile.ts", "src/evaluate/table.ts", "src/plot/html.ts"];

/** Template literals in src/ that read like prose but are not messages (each with the reason). */
const NOT_MESSAGES: { file: string; text: string; why: string }[] = [
  { file: "src/cli.ts", text: "`jupyter ${sub}`", why: "a command line" },
  { file: "src/cli.ts", text: "`kernel ${rest[0] ?? \"\"}`", why: "the command the user typed" },
  { file: "src/cli.ts", text: "`deploy ${rest[0] ?? \"\"}`", why: "the command the user typed" },
  { file: "src/data/datasets/registry.ts", text: "`${f} error`", why: "scikit-learn's feature names (data)" },
  { file: "src/deploy/metrics.ts", text: "`lepton_inflight_requests ${this.inflight}`", why: "a Prometheus sample line" },
  { file: "src/deploy/server.ts", text: "`Bearer ${token}`", why: "the HTTP Authorization scheme" },
  { file: "src/run/notebook.ts", text: "`nbformat ${String(nb?.nbformat)}`", why: "a format name and version" },
];

/**
 * Kernel messages not yet in the `kernel` catalogue (the lead localises them). The test fails on
 * any kernel offender not listed here, so the list can only shrink.
 */
// Every kernel message now comes from the catalogue; keep this list empty.
const KNOWN_KERNEL_OFFENDERS: string[] = [];

describe("i18n: message catalogues", () => {
  it("every namespace has the same keys in en and zh", () => {
    assert.ok(NAMESPACES.length >= 10, `namespaces: ${NAMESPACES.join(", ")}`);
    for (const [ns, cat] of Object.entries(catalogues)) {
      const en = Object.keys(cat.en).sort();
      const zh = Object.keys(cat.zh).sort();
      assert.deepEqual(en.filter((k) => !zh.includes(k)), [], `${ns}: keys missing in zh`);
      assert.deepEqual(zh.filter((k) => !en.includes(k)), [], `${ns}: keys missing in en`);
    }
  });

  it("no message is empty in either language", () => {
    const empty: string[] = [];
    for (const [ns, cat] of Object.entries(catalogues)) {
      for (const [lang, messages] of Object.entries(cat)) {
        for (const [key, text] of Object.entries(messages)) if (typeof text !== "string" || text.trim() === "") empty.push(`${lang} ${ns}:${key}`);
      }
    }
    assert.deepEqual(empty, []);
  });

  it("each message has the same {{placeholders}} in en and zh", () => {
    const differ: string[] = [];
    for (const [ns, cat] of Object.entries(catalogues)) {
      for (const key of Object.keys(cat.en)) {
        const en = placeholders(cat.en[key]);
        const zh = placeholders(cat.zh[key] ?? "");
        if (en.join() !== zh.join()) differ.push(`${ns}:${key} en {${en}} zh {${zh}}`);
      }
    }
    assert.deepEqual(differ, []);
  });

  it("Chinese messages are translated (a sentence in en is not copied verbatim into zh)", () => {
    const copied: string[] = [];
    for (const [ns, cat] of Object.entries(catalogues)) {
      for (const [key, en] of Object.entries(cat.en)) {
        const prose = en.replace(/\{\{[^}]*\}\}/g, "").match(/\b[A-Za-z]{2,}\b/g) ?? [];
        if (prose.length >= 3 && cat.zh[key] === en) copied.push(`${ns}:${key}`);
      }
    }
    assert.deepEqual(copied, []);
  });

  it("every key named in src/ and kernel/ (code and TSDoc examples) exists in its catalogue", () => {
    const uses = keyUses([...sourceFiles("src"), ...sourceFiles("kernel")], NAMESPACES);
    assert.ok(uses.length > 100, `found only ${uses.length} key uses: the scan is broken`);
    const missing = uses.filter((u) => {
      const keys = Object.keys(catalogues[u.ns].en);
      return u.prefix ? !keys.some((k) => k.startsWith(u.key)) : !keys.includes(u.key);
    });
    assert.deepEqual(missing.map((m) => `${m.where}: ${m.text}`), []);
  });

  it("src/ builds no user-facing message outside the catalogues", () => {
    const offences = unlocalisedMessages(sourceFiles("src"), GENERATORS)
      .filter((o) => !o.where.startsWith("src/i18n/"))
      .filter((o) => !NOT_MESSAGES.some((n) => o.where.startsWith(`${n.file}:`) && o.text === n.text));
    assert.deepEqual(offences.map((o) => `${o.where} [${o.rule}] ${o.text}`), []);
  });

  it("src/ passes no English phrase as a message value (it would stay English in zh)", () => {
    const found = englishValues(sourceFiles("src"));
    assert.deepEqual(found.map((o) => `${o.where}: "${o.text}"`), []);
  });

  it("kernel/ gains no un-localised message beyond the known list", () => {
    // The engine writes TypeScript for the compiler; its templates are code, not messages.
    const offences = unlocalisedMessages(sourceFiles("kernel"), ["kernel/engine/"]);
    const unknown = offences.filter((o) => !KNOWN_KERNEL_OFFENDERS.includes(o.where.split(":")[0]));
    assert.deepEqual(unknown.map((o) => `${o.where} [${o.rule}] ${o.text}`), []);
  });

  it("the scan finds each kind of offence in a sample file (so the checks above can fail)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-i18n-"));
    const file = path.join(dir, "sample.ts");
    fs.writeFileSync(file, [
      'import { t, LeptonError } from "../i18n/index";',
      "export function a(n: number, ns: string) {",
      '  console.log(`Loaded ${n} rows`);',
      '  process.stderr.write("warning: slow\\n");',
      '  if (n < 0) throw new Error("n must be positive");',
      "  if (n > 9) throw new LeptonError(`${ns}:tooMany`, {});",
      '  const s = t("data:fileNotFound", { path: "x" }) + " Try again.";',
      "  const d = `array of ${n}`;",
      '  const v = t("deploy:cliServingDetails", { auth: "bearer token" });',
      '  console.log(t("data:fileNotFound", { path: "x" }) + "\\n", bundle["text/plain"]);',
      "  return `<td class=\"n\">${n}</td>` + s + d + v;",
      "}",
      "/** @example t(\"data:noSuchKeyAnywhere\") */",
      "export const b = 1;",
    ].join("\n"));
    try {
      const rules = unlocalisedMessages([file]).map((o) => `${o.where.split(":").pop()} ${o.rule}`);
      assert.deepEqual(rules.sort(), [
        "3 console.log with literal text",
        "3 sentence assembled in a template literal",
        "4 process.stderr.write with literal text",
        "5 new Error without the catalogue",
        "6 LeptonError code built in code",
        "7 t(...) concatenated with literal text",
        "8 sentence assembled in a template literal",
      ].sort());
      assert.deepEqual(englishValues([file]).map((o) => o.text), ["bearer token"]);
      const uses = keyUses([file], NAMESPACES).map((u) => `${u.ns}:${u.key}${u.prefix ? "*" : ""}`);
      assert.ok(uses.includes("data:noSuchKeyAnywhere"), `comment keys: ${uses}`);
      assert.ok(!("noSuchKeyAnywhere" in catalogues.data.en));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
