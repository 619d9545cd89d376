import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { DataFrame, LabelEncoder, MinMaxScaler, OneHotEncoder, Pipeline, StandardScaler, transformFromJSON, type Transform } from "../../src/data/index";
import { DISPLAY } from "../../src/runtime/host";
import { locale } from "../../src/i18n/index";

const shown = (x: object) => (x as Record<symbol, () => Record<string, string>>)[DISPLAY].call(x);

describe("data: how a fitted transform shows itself", () => {
  const train = DataFrame.fromColumns({ x: [0, 10, 20], y: [1, 1, 4], city: ["Lima", "Paris", "Lima"] });

  it("a StandardScaler shows each column's training mean and standard deviation", () => {
    const s = new StandardScaler(["x", "y"]).fit(train);
    const text = shown(s)["text/plain"];
    assert.match(text, /^StandardScaler, fitted \(columns: 2\)/);
    const row = (c: string) => text.split("\n").find((l) => l.startsWith(`${c} `))!.trim().split(/\s+/).map(Number);
    assert.deepEqual(row("x").slice(1), [10, Number(Math.sqrt(200 / 3).toPrecision(6))]);
    assert.deepEqual(row("y").slice(1), [2, Number(Math.sqrt(2).toPrecision(6))]);
    assert.match(shown(s)["text/html"], /<th>mean<\/th><th>std<\/th>/);
    assert.equal(inspect(s), "StandardScaler, fitted (columns: 2)");
  });

  it("a MinMaxScaler shows min and range; encoders their categories, long lists cut short", () => {
    assert.match(shown(new MinMaxScaler(["x"]).fit(train))["text/plain"], /column\s+min\s+range\n-+.*\nx\s+0\s+20/);
    const oh = new OneHotEncoder(["city"]).fit(train);
    assert.match(shown(oh)["text/plain"], /city\s+2\s+Lima, Paris/);
    assert.equal(inspect(oh), "OneHotEncoder, fitted (columns: 1, categories: 2)");
    const many = DataFrame.fromColumns({ id: Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, "0")}`) });
    const le = new LabelEncoder(["id"]).fit(many);
    assert.match(shown(le)["text/plain"], /id\s+30\s+c00, c01, .*c11 and 18 more/);
  });

  it("unfitted, it says so and what to call; a pipeline lists its steps in order", () => {
    assert.equal(inspect(new StandardScaler()), "StandardScaler, not fitted yet: call fit(train) on the training split");
    assert.match(shown(new OneHotEncoder())["text/plain"], /OneHotEncoder, not fitted yet/);
    const own: Transform = { type: "MyStep", fit() { return this; }, transform: (df) => df, toJSON: () => ({ type: "MyStep", columns: [] }) };
    const p = new Pipeline([new OneHotEncoder(["city"]), new StandardScaler(["x"]), own]).fit(train);
    const text = shown(p)["text/plain"];
    assert.match(text, /^Pipeline \(3 steps\): OneHotEncoder → StandardScaler → MyStep/);
    assert.ok(text.indexOf("1. OneHotEncoder") < text.indexOf("2. StandardScaler") && text.indexOf("2. StandardScaler") < text.indexOf("3. MyStep"), text);
    assert.match(text, /city\s+2\s+Lima, Paris/);
    // A pipeline read back from JSON shows the same.
    const back = transformFromJSON(JSON.parse(JSON.stringify(new Pipeline([new OneHotEncoder(["city"]), new StandardScaler(["x"])]).fit(train))));
    assert.match(shown(back)["text/plain"], /x\s+10\s+8\.16497/);
  });

  it("in Chinese", () => {
    const before = locale();
    locale("zh-CN");
    try {
      assert.equal(inspect(new StandardScaler(["x"]).fit(train)), "StandardScaler，已在 1 列上拟合");
      assert.match(shown(new StandardScaler(["x"]).fit(train))["text/plain"], /列\s+均值\s+标准差/);
    } finally {
      locale(before);
    }
  });
});
