import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { csvBatches, DataFrame, parseCSV, readCSV, readJSON, writeCSV } from "../../src/data/index";
import { LeptonError } from "../../src/i18n/index";
import { DISPLAY } from "../../src/runtime/host";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-data-csv-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string | Buffer) => { const f = path.join(tmp, name); fs.writeFileSync(f, text); return f; };
const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { return (e as LeptonError).code; }
  return "no error";
};

describe("data: CSV parser", () => {
  it("handles quotes, doubled quotes, delimiters and newlines inside quotes, CRLF and a BOM", () => {
    const df = parseCSV('\uFEFFid,name,note\r\n1,"Smith, J","said ""hi""\r\nand left"\r\n2,Wang,plain\r\n');
    assert.deepEqual(df.columns, ["id", "name", "note"]);
    assert.deepEqual(df.values("name"), ["Smith, J", "Wang"]);
    assert.deepEqual(df.values("note"), ['said "hi"\r\nand left', "plain"]);
    assert.equal(df.dtypes.id, "int32");
  });

  it("infers types (int, float, string, date) and missing values; dtypes override inference", () => {
    const text = "a,b,c,d,zip\n1,1.5,x,2024-01-02,01234\n2,,y,2024-03-04,02134\n3,NaN,NA,,99999\n";
    const df = parseCSV(text);
    assert.deepEqual(df.dtypes, { a: "int32", b: "float64", c: "string", d: "date", zip: "int32" });
    assert.deepEqual(df.missingCounts(), { a: 0, b: 2, c: 1, d: 1, zip: 0 });
    const typed = parseCSV(text, { dtypes: { zip: "string", a: "float32" } });
    assert.deepEqual(typed.values("zip"), ["01234", "02134", "99999"]);
    assert.equal(typed.dtypes.a, "float32");
  });

  it("widens an inferred int column to float and a number column to string after the sample rows", () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i}`);
    const df = parseCSV(["n,s", ...rows, "2.5,hello"].join("\n"), { inferRows: 5 });
    assert.equal(df.dtypes.n, "float64");
    assert.equal(df.values("n")[20], 2.5);
    assert.equal(df.dtypes.s, "string");
    assert.equal(df.values("s")[3], "3");
    assert.equal(df.values("s")[20], "hello");
  });

  it("parses numbers exactly like Number() (fast path and fallbacks)", () => {
    const nums = ["0", "-0.5", "3.14159", "1e-7", "-2.5E+3", "123456789012345678", "0.1", ".5", "7.", "1e300", "  42  ", "Infinity"];
    const df = parseCSV(["x", ...nums].join("\n"), { dtypes: { x: "float64" } });
    assert.deepEqual(df.values("x"), nums.map((s) => Number(s.trim())));
  });

  it("reads other encodings when named (GBK, Latin-1, UTF-16 by its byte-order mark) and refuses text that is not UTF-8 rather than garble it", async () => {
    const gbk = Buffer.from("b3c7cad02cc8cbbfda0ab1b1bea92c323138390ac9cfbaa32c323438370a", "hex"); // 城市,人口 / 北京,2189 / 上海,2487
    const file = write("gbk.csv", gbk);
    await assert.rejects(readCSV(file), (e: LeptonError) => e.code === "data:notUtf8" && e.values.line === 1 && /encoding: "gbk"/.test(e.message));
    const df = await readCSV(file, { encoding: "gbk" });
    assert.deepEqual(df.columns, ["城市", "人口"]);
    assert.deepEqual(df.values("城市"), ["北京", "上海"]);
    assert.deepEqual(df.values("人口"), [2189, 2487]);
    assert.deepEqual(parseCSV(gbk, { encoding: "GBK" }).values("城市"), ["北京", "上海"]);
    // a bad byte further down names its line
    const latin = write("latin.csv", Buffer.concat([Buffer.from("name,n\nplain,0\n"), Buffer.from("636166e92c310a", "hex")]));
    await assert.rejects(readCSV(latin), (e: LeptonError) => e.code === "data:notUtf8" && e.values.line === 3);
    assert.deepEqual((await readCSV(latin, { encoding: "latin1" })).values("name"), ["plain", "café"]);
    // Excel's "Unicode text": UTF-16LE with a byte-order mark, found without being named
    const utf16 = write("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n1,é\n", "utf16le")]));
    assert.deepEqual((await readCSV(utf16)).values("b"), ["é"]);
    await assert.rejects(readCSV(file, { encoding: "klingon" }), (e: LeptonError) => e.code === "data:badEncoding");
    const broken = write("broken16.csv", Buffer.from([0x61, 0x00, 0x0a, 0x00, 0x00, 0xd8, 0x41, 0x00])); // a lone surrogate
    await assert.rejects(readCSV(broken, { encoding: "utf-16le" }), (e: LeptonError) => e.code === "data:notInEncoding" && /utf-16le/.test(e.message));
  });

  it("a character cut by a chunk boundary is read whole (UTF-8 checked chunk by chunk)", async () => {
    // 8 MiB chunks: put multi-byte characters on both sides of the first boundary
    const row = "北京,😀\n";
    const text = "city,face\n" + row.repeat(Math.ceil((8 * 1024 * 1024 + 100) / Buffer.byteLength(row)));
    const df = await readCSV(write("wide.csv", text));
    assert.equal(df.length, Math.ceil((8 * 1024 * 1024 + 100) / Buffer.byteLength(row)));
    assert.ok(df.values("face").every((v) => v === "😀") && df.values("city").every((v) => v === "北京"));
  });

  it("reads infinities as pandas and NumPy write them (inf, -inf, any case), in the sampled rows and after them", () => {
    const text = "a\ninf\n-INF\nInfinity\n1.5\n+inf\n-infinity\n";
    assert.deepEqual(parseCSV(text).values("a"), [Infinity, -Infinity, Infinity, 1.5, Infinity, -Infinity]);
    assert.equal(parseCSV(text).dtypes.a, "float64");
    const late = parseCSV(text, { inferRows: 1 });
    assert.deepEqual(late.values("a"), [Infinity, -Infinity, Infinity, 1.5, Infinity, -Infinity]);
    assert.equal(parseCSV("a\ninfo\n1\n").dtypes.a, "string", "only the words themselves");
  });

  it("reads a file in chunks (records across chunk boundaries) the same as from memory", async () => {
    const lines = ["k,v,t"];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},${(i * 0.25).toFixed(2)},"t ""${i % 7}"""`);
    const text = lines.join("\n") + "\n";
    const file = write("big.csv", text);
    const df = await readCSV(file);
    assert.equal(df.length, 300_000);
    assert.equal(df.values("v")[299_999], 299_999 * 0.25);
    assert.equal(df.values("t")[123_456], `t "${123_456 % 7}"`);
    let total = 0, batches = 0;
    for await (const b of csvBatches(file, { batchRows: 70_000 })) {
      assert.ok(b.length === 70_000 || total + b.length === 300_000);
      assert.equal(b.values("k")[0], total);
      total += b.length; batches++;
    }
    assert.equal(total, 300_000);
    assert.equal(batches, 5);
  });

  it("group-by mean and describe agree with direct computation", () => {
    const df = parseCSV("g,x,y\na,1,10\nb,2,20\na,3,\nb,4,40\n");
    const g = df.groupByMean("g");
    assert.deepEqual(g.toRecords(), [{ g: "a", x: 2, y: 10 }, { g: "b", x: 3, y: 30 }]);
    const d = df.describe();
    assert.equal(d.values("x")[1], 2.5);
    assert.equal(d.values("y")[0], 3);
  });

  it("converts to tensors and labels with checks", () => {
    const df = parseCSV("a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n");
    const x = df.toTensor(["a", "b"]);
    assert.deepEqual(x.shape, [3, 2]);
    assert.deepEqual(Array.from(x.dataSync()), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(df.labels("label"), { labels: Int32Array.from([0, 1, 0]), classes: ["cat", "dog"] });
    assert.equal(code(() => df.toTensor(["a", "label"])), "data:columnNotNumeric");
  });

  it("renders shape, dtypes, missing counts and the first rows as HTML", () => {
    const df = parseCSV("a,b\n1,x\n,y\n");
    const html = String(df[DISPLAY]()["text/html"]);
    assert.match(html, /2 rows × 2 columns/);
    assert.match(html, /<td[^>]*>float64<\/td><td[^>]*>1<\/td>/);
    assert.match(html, /<td[^>]*>y<\/td>/);
  });

  it("reads JSON (rows or columns) and JSON Lines", async () => {
    const rows = await readJSON(write("r.json", JSON.stringify([{ a: 1, b: "x" }, { a: 2 }])));
    assert.deepEqual(rows.toRecords(), [{ a: 1, b: "x" }, { a: 2, b: null }]);
    const cols = await readJSON(write("c.json", JSON.stringify({ a: [1, 2], b: ["u", "v"] })));
    assert.deepEqual(cols.shape, [2, 2]);
    const lines = await readJSON(write("l.jsonl", '{"a":1}\n\n{"a":5}\n'));
    assert.deepEqual(lines.values("a"), [1, 5]);
  });

  it("hands small frames to danfojs", async () => {
    const df = DataFrame.fromColumns({ x: [1, 2, 3], g: ["a", "b", "a"] });
    const ddf = (await df.toDanfo()) as { shape: number[]; columns: string[] };
    assert.deepEqual(ddf.shape, [3, 2]);
    assert.deepEqual(ddf.columns, ["x", "g"]);
  });
});

describe("data: writing CSV", () => {
  it("what writeCSV writes, readCSV reads back to the same columns and values (quotes, line breaks, scripts, missing, dates)", async () => {
    const df = DataFrame.fromColumns({
      "id, quoted": [1, 2, 3, 4],
      text: ['say "hi"', "two\nlines", "  edge spaces ", null],
      script: ["北京", "Zürich", "\u{1F600}", "مرحبا"],
      x: [0.1 + 0.2, -1e-300, null, 123456789.123],
    }).withColumn("day", [null, null, null, null]);
    const dated = df.withColumn("when", { kind: "number", dtype: "date", values: Float64Array.from([Date.UTC(2024, 0, 2), Date.UTC(2025, 5, 6, 7, 8, 9), NaN, 0]) });
    const file = await writeCSV(dated, path.join(tmp, "out", "round.csv"));
    const back = await readCSV(file, { dtypes: { day: "string" } });
    assert.deepEqual(back.columns, dated.columns);
    for (const c of dated.columns) {
      const want = dated.values(c).map((v) => (v instanceof Date ? v.getTime() : v));
      const got = back.values(c).map((v) => (v instanceof Date ? v.getTime() : v));
      assert.deepEqual(got, want, c);
    }
    assert.equal(back.dtypes.when, "date");
    assert.equal(dated.toCSV().split("\n")[0], '"id, quoted",text,script,x,day,when');
    assert.equal(DataFrame.fromColumns({ a: [1, null] }).toCSV({ missing: "NA", delimiter: ";" }), "a\n1\nNA\n");
  });

  it("replaces a file only once the new one is complete, and says why a write failed", async () => {
    const file = write("keep.csv", "a\n1\n");
    const blocked = path.join(file, "inside.csv"); // a file where a folder should be
    await assert.rejects(writeCSV(DataFrame.fromColumns({ a: [2] }), blocked), (e: LeptonError) => e.code === "data:writeFailed" && e.message.includes(blocked) && /unchanged/.test(e.message));
    assert.equal(fs.readFileSync(file, "utf8"), "a\n1\n", "the earlier file is untouched");
    await writeCSV(DataFrame.fromColumns({ a: [2] }), file);
    assert.equal(fs.readFileSync(file, "utf8"), "a\n2\n");
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp")), [], "no temporary file left");
  });
});

describe("data: bad input says what is wrong", () => {
  it("a missing file names the path", async () => {
    await assert.rejects(readCSV(path.join(tmp, "nope.csv")), (e: LeptonError) =>
      e.code === "data:fileNotFound" && e.message.includes(path.join(tmp, "nope.csv")));
    await assert.rejects(readJSON(path.join(tmp, "nope.json")), (e: LeptonError) => e.code === "data:fileNotFound");
  });

  it("a malformed row names its line; skipping is reported, not silent", () => {
    const text = "a,b\n1,2\n3,4,5\n6,7\n";
    assert.throws(() => parseCSV(text, { source: "f.csv" }), (e: LeptonError) =>
      e.code === "data:csvFieldCount" && e.values.line === 3 && /f\.csv, line 3/.test(e.message));
    const df = parseCSV(text, { onBadLine: "skip" });
    assert.equal(df.length, 2);
    assert.deepEqual(df.csvReport.skippedLines, [3]);
    assert.throws(() => parseCSV('a,b\n1,"open\n'), (e: LeptonError) => e.code === "data:csvUnclosedQuote" && e.values.line === 2);
  });

  it("skipLines leaves out lines before the header; a header that disagrees with every line says so", async () => {
    // scikit-learn's layout: a count line, no header, the label last
    const sk = "3,2,no,yes\n1.5,2.5,0\n3.5,4.5,1\n\n5.5,6.5,1\n";
    assert.throws(() => parseCSV(sk, { source: "sk.csv" }), (e: LeptonError) =>
      e.code === "data:csvHeaderFieldCount" && e.values.line === 2 && e.values.headerLine === 1 &&
      e.values.expected === 4 && e.values.actual === 3 && /skipLines/.test(e.message));
    const df = parseCSV(sk, { skipLines: 1, header: false, names: ["x1", "x2", "y"] });
    assert.deepEqual(df.columns, ["x1", "x2", "y"]);
    assert.deepEqual(df.values("y"), [0, 1, 1]);
    // a title line before a real header, read from a file in chunks as from memory
    const f = write("titled.csv", "Survey 2026, export\nage,city\n31,Zürich\n45,北京\n");
    const titled = await readCSV(f, { skipLines: 1 });
    assert.deepEqual(titled.columns, ["age", "city"]);
    assert.deepEqual(titled.values("city"), ["Zürich", "北京"]);
    assert.equal(parseCSV("t\na\n1\n", { skipLines: 0 }).columns[0], "t");
    // a later bad line keeps the ordinary message
    assert.equal(code(() => parseCSV("a,b\n1,2\n3\n")), "data:csvFieldCount");
    // names given by the caller: no header to blame
    assert.equal(code(() => parseCSV("1,2,3\n", { header: false, names: ["a", "b"] })), "data:csvFieldCount");
  });

  it("bad reader options are refused before reading, naming the option", () => {
    for (const [opts, option] of [[{ skipLines: -1 }, "skipLines"], [{ skipLines: 1.5 }, "skipLines"], [{ nRows: -2 }, "nRows"], [{ inferRows: 0 }, "inferRows"]] as const) {
      assert.throws(() => parseCSV("a\n1\n", opts), (e: LeptonError) => e.code === "data:csvBadCount" && e.values.option === option, JSON.stringify(opts));
    }
    for (const delimiter of [";;", "", '"', "\n", "，"]) {
      assert.throws(() => parseCSV("a\n1\n", { delimiter }), (e: LeptonError) => e.code === "data:csvBadDelimiter", JSON.stringify(delimiter));
    }
    assert.deepEqual(parseCSV("a\tb\n1\t2\n", { delimiter: "\t" }).columns, ["a", "b"]);
  });

  it("a non-numeric value in a number column names the column and row", () => {
    assert.throws(() => parseCSV("a,price\n1,2.5\n2,abc\n", { dtypes: { price: "float64" } }), (e: LeptonError) =>
      e.code === "data:notNumeric" && e.values.column === "price" && e.values.row === 2 && e.values.line === 3);
  });

  it("NaN or Infinity reaching a tensor is an error unless allowed", () => {
    const df = parseCSV("a,b\n1,2\n3,\n");
    assert.throws(() => df.toTensor(), (e: LeptonError) => e.code === "data:nonFinite" && e.values.column === "b" && e.values.row === 1);
    assert.equal(df.toTensor(undefined, { allowNonFinite: true }).shape[0], 2);
  });

  it("a missing label and an unknown column say what was expected", () => {
    const df = parseCSV("a,y\n1,x\n2,\n");
    assert.throws(() => df.labels("y"), (e: LeptonError) => e.code === "data:missingLabel" && e.values.row === 2);
    assert.throws(() => df.column("z"), (e: LeptonError) => e.code === "data:unknownColumn" && /a, y/.test(e.message));
  });
});
