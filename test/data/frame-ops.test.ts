/**
 * DataFrame's row and group operations against pandas (Debian's python3-pandas) on the same
 * data, computed in the same run: filter, sortBy, unique, valueCounts, groupBy(...).agg/size.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { inspect } from "node:util";
import { DataFrame, trainTestSplit } from "../../src/data/index";
import { load } from "../../src/data/datasets/index";
import { LeptonError, locale } from "../../src/i18n/index";
import { DISPLAY } from "../../src/runtime/host";
import { PYTHON } from "../support/jupyter";

// Every kind of column, missing values in each, keys in several scripts (an astral one too, so
// code-point order differs from UTF-16 order: "\u{1F600}" sorts after "\uFF5E" only by code point).
const data = {
  city: ["Zürich", "北京", "Zürich", null, "Ålesund", "北京", "\u{1F600}x", "Zürich", "\uFF5Ey", "Ålesund", "北京", "Zürich", null],
  year: [2024, 2025, 2024, 2025, 2024, 2024, 2025, 2025, 2024, null, 2025, 2024, 2024],
  price: [10.5, 20, null, -7, 3.25, 18, 99, 11, -0.5, 4, null, 12.5, 1],
  qty: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
};

type Json = Record<string, unknown[]>;

const PANDAS = `
import json, sys, math
import pandas as pd
d = json.load(sys.stdin)
df = pd.DataFrame(d)
def cols(f):
    f = f.reset_index()
    f = f.drop(columns=[c for c in f.columns if c == "index"])
    return {str(c): [None if (isinstance(v, float) and math.isnan(v)) or v is None else (v.item() if hasattr(v, "item") else v) for v in f[c].tolist()] for c in f.columns}
out = {}
g = df.groupby("city").agg(price_mean=("price", "mean"), price_sum=("price", "sum"), price_median=("price", "median"),
    price_std=("price", "std"), price_var=("price", "var"), price_min=("price", "min"), price_max=("price", "max"),
    price_count=("price", "count"), price_first=("price", "first"), price_last=("price", "last"),
    year_nunique=("year", "nunique"), qty=("qty", "sum"))
out["agg"] = cols(g)
out["size"] = cols(df.groupby(["city", "year"]).size().rename("size"))
out["mean"] = cols(df.groupby("city")[["year", "price", "qty"]].mean())
# pandas 1.5 cannot order None among strings; lepton skips missing values, so compare without them
out["minmax"] = cols(df.dropna(subset=["city"]).groupby("year").agg(city_min=("city", "min"), city_max=("city", "max")))
vc = df["city"].value_counts()
out["valueCounts"] = {"city": vc.index.tolist(), "count": vc.tolist()}
out["sorted"] = cols(df.sort_values(["city", "price"], ascending=[True, False], na_position="last", kind="stable"))
out["sortedDesc"] = cols(df.sort_values("price", ascending=False, na_position="last", kind="stable"))
out["unique"] = [None if (isinstance(v, float) and math.isnan(v)) or v is None else v for v in df["city"].unique().tolist()]
out["filtered"] = cols(df[(df["price"] > 5) & (df["year"] == 2024)])
json.dump(out, sys.stdout, ensure_ascii=False)
`;

function frameJson(df: DataFrame): Json {
  return Object.fromEntries(df.columns.map((c) => [c, df.values(c)]));
}

function assertFrameClose(actual: DataFrame, expected: Json, what: string): void {
  assert.deepEqual(actual.columns, Object.keys(expected), `${what}: columns`);
  for (const [c, want] of Object.entries(expected)) {
    const got = actual.values(c);
    assert.equal(got.length, want.length, `${what}: ${c} length`);
    got.forEach((v, i) => {
      const w = want[i];
      if (typeof v === "number" && typeof w === "number") assert.ok(Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(w)), `${what}: ${c}[${i}] ${v} vs pandas ${w}`);
      else assert.deepEqual(v, w, `${what}: ${c}[${i}]`);
    });
  }
}

describe("data: DataFrame row and group operations agree with pandas", function () {
  this.timeout(60_000);
  const df = DataFrame.fromColumns(data);
  let pd: Record<string, Json>;
  before(() => {
    pd = JSON.parse(execFileSync(PYTHON, ["-c", PANDAS], { input: JSON.stringify(data), encoding: "utf8" }));
  });

  it("groupBy(...).agg: every aggregation, missing values skipped, groups sorted by code point, missing keys dropped", () => {
    const g = df.groupBy("city").agg({
      price: ["mean", "sum", "median", "std", "var", "min", "max", "count", "first", "last"],
      year: ["nunique"],
      qty: "sum",
    });
    assertFrameClose(g, pd.agg, "agg");
    assert.equal(df.groupBy("city").groupCount, 5);
  });

  it("groupBy over two keys: size(); mean() over the number columns; min/max of strings", () => {
    assertFrameClose(df.groupBy(["city", "year"]).size(), pd.size, "size");
    assertFrameClose(df.groupBy("city").mean(), pd.mean, "mean");
    assertFrameClose(df.groupBy("year").agg({ city: ["min", "max"] }), pd.minmax, "string min/max");
    // the older shortcut gives the same as agg
    assertFrameClose(df.groupByMean("city"), pd.mean, "groupByMean");
  });

  it("valueCounts, unique, sortBy and filter", () => {
    assertFrameClose(df.valueCounts("city"), pd.valueCounts, "valueCounts");
    assert.deepEqual(df.unique("city"), pd.unique);
    assertFrameClose(df.sortBy(["city", "price"], { descending: [false, true] }), pd.sorted, "sortBy two keys");
    assertFrameClose(df.sortBy("price", { descending: true }), pd.sortedDesc, "sortBy descending");
    const byRow = df.filter((r) => r.price !== null && r.price > 5 && r.year === 2024);
    assertFrameClose(byRow, pd.filtered, "filter(row)");
    // the column form leaves missing values out (a comparison with NaN is false in pandas)
    const byColumn = df.filter("year", (y: number) => y === 2024).filter("price", (p: number) => p > 5);
    assert.equal(df.filter("price", (p: number) => !(p > 5)).length, 5, "the 2 missing prices match neither test");
    assert.deepEqual(frameJson(byColumn), frameJson(byRow));
    const mask = df.values("price").map((p, i) => p !== null && (p as number) > 5 && df.values("year")[i] === 2024);
    assert.deepEqual(frameJson(df.filter(mask)), frameJson(byRow));
  });

  it("sortBy agrees with a plain stable comparison sort on random keys (negatives, -0, infinities, missing, ties)", () => {
    let seed = 9;
    const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
    // neighbours that differ only in the low 32 bits of the double, both signs
    const special = [NaN, Infinity, -Infinity, -0, 0, 1e-300, -1e300, 2.5, -2.5, 2.5000000000000004, -2.5000000000000004,
      -2.500000000000001, -1 - 2 ** -40, -1 - 2 ** -45, 1 + 2 ** -40];
    const n = 3000;
    // specials, values with ties (few mantissa bits) and full-precision values (all 64 bits matter)
    const f = Array.from({ length: n }, () => (rand() < 0.3 ? special[Math.floor(rand() * special.length)]
      : rand() < 0.5 ? Math.round((rand() - 0.5) * 40) / 4 : (rand() - 0.5) * 40));
    const s = Array.from({ length: n }, () => (rand() < 0.1 ? null : ["b", "a", "Ä", "\u{1F600}", "\uFF5E", "ab"][Math.floor(rand() * 6)]));
    const frame = DataFrame.fromColumns({ f: f.map((x) => (Number.isNaN(x) ? null : x)), s, i: Array.from({ length: n }, (_, k) => k) });
    const cmpNum = (a: number, b: number, desc: boolean) => (Number.isNaN(a) || Number.isNaN(b) ? Number(Number.isNaN(a)) - Number(Number.isNaN(b)) : (desc ? b - a : a - b) || 0);
    const cp = (a: string) => [...a].map((c) => c.codePointAt(0)!);
    const cmpStr = (a: string | null, b: string | null, desc: boolean) => {
      if (a === null || b === null) return Number(a === null) - Number(b === null);
      const x = cp(a), y = cp(b);
      for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return (desc ? -1 : 1) * (x[k] - y[k]);
      return (desc ? -1 : 1) * (x.length - y.length);
    };
    for (const [by, desc] of [[["f"], [false]], [["f"], [true]], [["s", "f"], [false, true]], [["s", "f"], [true, false]], [["s"], [true]]] as const) {
      const want = Array.from({ length: n }, (_, k) => k).sort((a, b) => {
        for (let k = 0; k < by.length; k++) {
          const r = by[k] === "f" ? cmpNum(f[a], f[b], desc[k]) : cmpStr(s[a], s[b], desc[k]);
          if (r !== 0) return r;
        }
        return a - b;
      });
      assert.deepEqual(frame.sortBy([...by], { descending: [...desc] }).values("i"), want, `${by} ${desc}`);
    }
  });

  it("valueCounts with proportions and missing values; tail, sample and rename", () => {
    const withMissing = df.valueCounts("city", { dropMissing: false, normalize: true });
    assert.deepEqual(withMissing.values("city"), ["Zürich", "北京", "Ålesund", "\u{1F600}x", "\uFF5Ey", null]);
    assert.deepEqual(withMissing.values("proportion").map((p) => Math.round((p as number) * 13)), [4, 3, 2, 1, 1, 2]);
    assert.deepEqual(df.tail(2).values("qty"), [12, 13]);
    assert.deepEqual(DataFrame.fromColumns({ v: [-Infinity, null, -Infinity, 1, null] }).unique("v"), [-Infinity, null, 1], "missing is not -Infinity");
    const a = df.sample(5, { seed: 7 }), b = df.sample(5, { seed: 7 });
    assert.deepEqual(frameJson(a), frameJson(b), "same seed, same sample");
    assert.equal(new Set(a.values("qty")).size, 5, "without replacement");
    assert.notDeepEqual(df.sample(13, { seed: 1 }).values("qty"), df.values("qty"), "a permutation");
    assert.deepEqual(df.rename({ qty: "quantity" }).columns, ["city", "year", "price", "quantity"]);
  });

  it("a frame and a GroupBy are one line in console.log; a GroupBy shows what to call next", () => {
    assert.equal(inspect(df), "DataFrame: 13 rows × 4 columns (city, year, price, qty)");
    assert.match(inspect({ sales: df }), /sales: DataFrame: 13 rows × 4 columns/);
    const g = df.groupBy(["city", "year"]);
    assert.match(inspect(g), /^GroupBy on city, year: 7 groups of 13 rows\. Call \.agg/);
    assert.equal(g[DISPLAY]()["text/plain"], inspect(g));
    assert.equal(g.groupCount, df.groupBy(["city", "year"]).size().length);
  });

  it("bad input says what is wrong, in English and Chinese", () => {
    const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as LeptonError).code; } return "no error"; };
    assert.equal(code(() => df.groupBy("town")), "data:unknownColumn");
    assert.equal(code(() => df.groupBy([])), "data:groupByNoKeys");
    assert.equal(code(() => df.groupBy("city").agg({ price: "avg" as never })), "data:unknownAggregation");
    assert.equal(code(() => df.groupBy("year").agg({ city: "mean" })), "data:aggregationNeedsNumbers");
    assert.equal(code(() => df.filter([true, false])), "data:maskLength");
    assert.equal(code(() => df.filter(42 as never)), "data:filterArgument");
    assert.equal(code(() => df.filter("price", undefined as never)), "data:filterNeedsTest");
    assert.equal(code(() => df.sortBy(["city", "year"], { descending: [true] })), "data:sortDirections");
    assert.equal(code(() => df.sample(14)), "data:sampleSize");
    assert.equal(code(() => df.rename({ qty: "price" })), "data:renameDuplicate");
    assert.equal(code(() => df.rename({ nope: "x" })), "data:unknownColumn");
    try {
      locale("zh-CN");
      assert.throws(() => df.groupBy("year").agg({ city: "sum" }), (e: LeptonError) => /需要数值列/.test(e.message) && e.message.includes("city"));
    } finally {
      locale("en");
    }
    assert.throws(() => df.groupBy("year").agg({ city: "sum" }), (e: LeptonError) => /count, nunique, min, max, first or last/.test(e.message));
  });
});

describe("data: concat, and data set splits as frames", () => {
  it("a tabular split becomes feature columns plus its class names; concat puts the splits back together", async () => {
    const { train, test } = await load("breast-cancer");
    const a = train.toFrame({ label: "diagnosis" });
    assert.deepEqual(a.columns, [...train.featureNames!, "diagnosis"]);
    assert.equal(a.length, train.length);
    assert.equal(a.numeric("worst radius").values[3], train.features[3 * 30 + train.featureNames!.indexOf("worst radius")]);
    const all = DataFrame.concat([a, test.toFrame({ label: "diagnosis" })]);
    assert.equal(all.length, 569);
    const counts = all.valueCounts("diagnosis");
    assert.deepEqual(counts.values("diagnosis"), ["benign", "malignant"]);
    assert.deepEqual(counts.values("count"), [357, 212], "the counts datasets/README.md states");
    const { train: digits } = await load("mnist");
    assert.throws(() => digits.toFrame(), (e: LeptonError) => e.code === "data:toFrameNeedsTabular" && /\[28, 28, 1\]/.test(e.message));
    const { train: texts } = await load("udhr-langid");
    const tf = texts.toFrame();
    assert.deepEqual(tf.columns, ["text", "label"]);
    assert.equal(tf.values("text")[5], texts.texts[5]);
    assert.equal(tf.values("label")[5], texts.classes[texts.labels[5]]);
  });

  it("trainTestSplit splits a frame into two frames, stratified by a column, seeded", async () => {
    const { train } = await load("breast-cancer");
    const frame = train.toFrame({ label: "diagnosis" });
    const parts = trainTestSplit(frame, { testSize: 0.25, stratify: "diagnosis", seed: 5 });
    assert.equal(parts.train.length + parts.test.length, frame.length);
    assert.equal(parts.test.length, Math.round(0.25 * frame.length));
    const share = (f: DataFrame) => (f.valueCounts("diagnosis").values("count")[1] as number) / f.length;
    assert.ok(Math.abs(share(parts.train) - share(parts.test)) < 0.01, `${share(parts.train)} vs ${share(parts.test)}`);
    const again = trainTestSplit(frame, { testSize: 0.25, stratify: "diagnosis", seed: 5 });
    assert.deepEqual(again.test.values("worst radius"), parts.test.values("worst radius"));
    assert.throws(() => trainTestSplit(frame, { stratify: "diagnoses" }), (e: LeptonError) => e.code === "data:unknownColumn");
    assert.throws(() => trainTestSplit([1, 2, 3] as never), (e: LeptonError) => e.code === "data:splitInput" && /got array/.test(e.message));
  });

  it("concat merges string dictionaries, widens mixed number types and refuses frames that do not match", () => {
    const a = DataFrame.fromColumns({ k: ["x", "y", null], v: [1, 2, 3] });
    const b = new DataFrame(["k", "v"], [
      { kind: "string", dtype: "string", codes: Int32Array.from([1, 0]), categories: ["z", "x"] },
      { kind: "number", dtype: "int32", values: Int32Array.from([4, 5]) },
    ]);
    const c = DataFrame.concat([a, b]);
    assert.deepEqual(c.values("k"), ["x", "y", null, "x", "z"]);
    assert.deepEqual(c.values("v"), [1, 2, 3, 4, 5]);
    assert.equal(c.dtypes.v, "float64");
    const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as LeptonError).code; } return "no error"; };
    assert.equal(code(() => DataFrame.concat([])), "data:concatEmpty");
    assert.equal(code(() => DataFrame.concat([a, a.select(["v", "k"])])), "data:concatColumns");
    assert.equal(code(() => DataFrame.concat([a, DataFrame.fromColumns({ k: [1], v: [2] })])), "data:concatTypes");
  });
});

describe("data: join agrees with pandas' merge", function () {
  this.timeout(60_000);
  // Keys in two scripts, repeated on both sides (one-to-many and many-to-many), some unmatched;
  // no missing keys (pandas matches NaN to NaN, lepton matches missing keys to nothing).
  const left = {
    city: ["Zürich", "北京", "Oslo", "北京", "Lima", "Zürich"],
    year: [2024, 2024, 2025, 2025, 2024, 2025],
    sales: [10, 20, 30, 40, 50, 60],
    note: ["a", "b", "c", "d", "e", "f"],
  };
  const right = {
    city: ["北京", "Zürich", "北京", "Paris", "Zürich"],
    year: [2024, 2024, 2024, 2024, 2025],
    people: [21, 0.4, 22, 2.1, 0.5],
    note: ["p", "q", "r", "s", "t"],
  };
  const PANDAS_JOIN = `
import json, sys, math
import pandas as pd
d = json.load(sys.stdin)
l, r = pd.DataFrame(d["left"]), pd.DataFrame(d["right"])
def cols(f):
    return {str(c): [None if (isinstance(v, float) and math.isnan(v)) else v for v in f[c].tolist()] for c in f.columns}
out = {}
for how in ["inner", "left"]:
    out[how + "-city"] = cols(l.merge(r, on="city", how=how))
    out[how + "-both"] = cols(l.merge(r, on=["city", "year"], how=how))
json.dump(out, sys.stdout, ensure_ascii=False)
`;
  let pd: Record<string, Json>;
  before(() => {
    pd = JSON.parse(execFileSync(PYTHON, ["-c", PANDAS_JOIN], { input: JSON.stringify({ left, right }), encoding: "utf8" }));
  });

  for (const how of ["inner", "left"] as const) {
    it(`${how} join on one key and on two keys: rows, order, suffixes and missing values as pandas`, () => {
      const l = DataFrame.fromColumns(left), r = DataFrame.fromColumns(right);
      assertFrameClose(l.join(r, { on: "city", how }), pd[`${how}-city`], `${how} on city`);
      assertFrameClose(l.join(r, { on: ["city", "year"], how }), pd[`${how}-both`], `${how} on city, year`);
    });
  }

  it("missing keys match nothing; bad options say what is wrong", () => {
    const l = DataFrame.fromColumns({ k: ["a", null], v: [1, 2] }), r = DataFrame.fromColumns({ k: ["a", null], w: [3, 4] });
    assert.deepEqual(l.join(r, { on: "k" }).values("w"), [3]);
    assert.deepEqual(l.join(r, { on: "k", how: "left" }).values("w"), [3, null]);
    const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as LeptonError).code; } return "no error"; };
    assert.equal(code(() => l.join(r, { on: [] })), "data:joinNoKeys");
    assert.equal(code(() => l.join(r, { on: "k", how: "outer" as never })), "data:joinHow");
    assert.equal(code(() => l.join(r, { on: "w" })), "data:unknownColumn");
    assert.equal(code(() => l.join(DataFrame.fromColumns({ k: [1], w: [2] }), { on: "k" })), "data:joinKeyTypes");
  });
});
