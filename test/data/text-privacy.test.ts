import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataFrame, privacy, text } from "../../src/data/index";
import { datasets } from "../../src/data/toplevel";
import { LeptonError } from "../../src/i18n/index";

const MIXED = ["人人生而自由，在尊严和权利上一律平等。", "يولد جميع الناس أحراراً", "सभी मनुष्यों को गौरव", "Все люди рождаются свободными", "Families 👩‍👩‍👧 and flags 🇯🇵 👋🏽", "é vs e\u0301"];

describe("data.text: Unicode-correct tokenisers", () => {
  it("splits by grapheme clusters and code points, never UTF-16 units", () => {
    assert.deepEqual(text.graphemes("👩‍👩‍👧🇯🇵👋🏽"), ["👩‍👩‍👧", "🇯🇵", "👋🏽"]);
    assert.deepEqual(text.codePoints("a😀"), ["a", "😀"]);
    // Unicode 15.1 (GB9c): a Devanagari conjunct stays one cluster
    assert.deepEqual(text.graphemes("नमस्ते"), ["न", "म", "स्ते"]);
    const tok = new text.CharTokenizer().fit(MIXED);
    const toks = tok.tokenize(MIXED[4]);
    assert.ok(toks.includes("👩‍👩‍👧") && toks.includes("🇯🇵") && toks.includes("👋🏽"));
    assert.ok(toks.every((t) => !/[\uD800-\uDFFF]/.test(t.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))));
    // NFC: the composed and decomposed é are one token
    assert.equal(new Set(tok.tokenize(MIXED[5]).filter((t) => t.startsWith("e") || t.startsWith("é"))).size, 1);
    assert.deepEqual(tok.tokenize("é"), tok.tokenize("e\u0301"));
  });

  it("char n-grams and pad/truncate to an int32 tensor", () => {
    const tok = new text.CharNgramTokenizer([1, 2]).fit(MIXED);
    assert.deepEqual(tok.tokenize("猫が"), ["⟨", "猫", "が", "⟩", "⟨猫", "猫が", "が⟩"]);
    const x = tok.encodeBatch(["人", "Все люди рождаются"], { length: 6 });
    assert.deepEqual(x.shape, [2, 6]);
    assert.equal(x.dtype, "int32");
    const row0 = Array.from(x.dataSync()).slice(0, 6);
    assert.deepEqual(row0.slice(5), [0]); // 5 n-grams then padding
    assert.deepEqual(text.padSequences([[1, 2, 3], [4]], { length: 2, truncating: "pre", padding: "pre" }).data, Int32Array.from([2, 3, 0, 4]));
    assert.equal(tok.encode("🦄")[1], 1); // unknown token id
  });

  it("BPE learns subwords from data, round-trips text and survives save/load", async () => {
    const { train } = await datasets.load("udhr-langid");
    const bpe = new text.BpeTokenizer(500).fit(train.texts);
    assert.equal(bpe.merges.length, 500);
    const sentence = train.texts.find((s) => /\p{Script=Cyrillic}/u.test(s))!;
    const toks = bpe.tokenize(sentence);
    const letters = text.words(sentence).join("").length;
    assert.ok(toks.length < letters * 0.75, `${toks.length} tokens for ${letters} letters`);
    assert.equal(bpe.detokenize(toks).replace(/\s+/g, ""), text.words(sentence.toLowerCase()).join(""));
    const file = path.join(os.tmpdir(), `lepton-bpe-${process.pid}.json`);
    bpe.save(file);
    const again = text.loadTokenizer(file);
    fs.rmSync(file);
    for (const s of MIXED) assert.deepEqual(again.encode(s), bpe.encode(s));
    assert.throws(() => text.Vocabulary.load("/no/such/vocab.json"), (e: LeptonError) => e.code === "data:fileNotFound" && /no\/such/.test(e.message));
  });

  it("vocabularies keep pad=0 and unk=1 and round-trip through JSON", () => {
    const v = text.Vocabulary.fromCounts(new Map([["a", 3], ["b", 5], ["c", 1]]), { minCount: 2 });
    assert.deepEqual(v.tokens, ["<pad>", "<unk>", "b", "a"]);
    assert.deepEqual(text.Vocabulary.fromJSON(JSON.parse(JSON.stringify(v))).tokens, v.tokens);
    assert.equal(v.id("c"), 1);
  });
});

describe("data.privacy: personal data", () => {
  const df = DataFrame.fromColumns({
    customer_name: ["Ada Lovelace", "李小龙", "Olu Ade"],
    contact: ["ada@example.com", "li@example.cn", "olu@example.ng"],
    phone: ["+44 20 7946 0958", "+86 138 0013 8000", "(555) 010-9999"],
    card: ["4539 1488 0343 6467", "5555-5555-5555-4444", "4111111111111111"],
    id: ["11010519491231002X", "123-45-6789", "110105194912310021"],
    amount: [12.5, 30, 7],
    note: ["ok", "late", "ok"],
  });

  it("detects e-mail, phone, national ID, Luhn card numbers and names from the header", () => {
    const report = privacy.detectPII(df, { threshold: 0.6 });
    const kinds = Object.fromEntries(report.findings.map((f) => [f.column, f.kind]));
    assert.deepEqual(kinds, { customer_name: "name", contact: "email", phone: "phone", card: "cardNumber", id: "nationalId" });
    assert.ok(privacy.luhnValid("4539148803436467"));
    assert.ok(!privacy.luhnValid("4539148803436468"));
    assert.notEqual(privacy.classifyValue("4539 1488 0343 6468"), "cardNumber");
    assert.ok(privacy.chineseIdValid("11010519491231002X"));
    assert.ok(!privacy.chineseIdValid("110105194912310021"));
  });

  it("masks, drops or pseudonymises with HMAC; equal inputs stay equal, the log names what was done", () => {
    const twice = df.take([0, 0, 1]);
    const { frame, log } = privacy.protect(twice, { secret: "s3cret-key", action: { name: "drop", cardNumber: "mask" } });
    assert.ok(!frame.columns.includes("customer_name"));
    const emails = frame.values("contact") as string[];
    assert.equal(emails[0], emails[1]);
    assert.notEqual(emails[0], emails[2]);
    assert.match(emails[0], /^[0-9a-f]{16}$/);
    assert.equal(emails[0], privacy.pseudonym("ada@example.com", "s3cret-key"));
    assert.notEqual(privacy.pseudonym("ada@example.com", "other"), emails[0]);
    assert.deepEqual(frame.values("card"), ["***6467", "***6467", "***4444"]);
    assert.deepEqual(frame.values("amount"), [12.5, 12.5, 30]);
    const actions = Object.fromEntries(log.toJSON().map((r) => [r.column, r.action]));
    assert.deepEqual(actions, { customer_name: "drop", contact: "pseudonymise", phone: "pseudonymise", card: "mask", id: "pseudonymise" });
    assert.ok(!JSON.stringify(log).includes("s3cret"));
    assert.throws(() => privacy.protect(df, { action: "pseudonymise" }), (e: LeptonError) => e.code === "privacy:secretRequired");
    assert.equal(privacy.maskValue("ada@example.com", "email"), "a***@example.com");
  });
});
