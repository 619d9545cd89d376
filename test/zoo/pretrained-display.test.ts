import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import * as zoo from "../../src/zoo/index";
import { weightsRoot } from "../../src/zoo/pretrained";
import { DISPLAY } from "../../src/runtime/host";
import { locale } from "../../src/i18n/index";

const shown = (x: object) => (x as Record<symbol, () => Record<string, string>>)[DISPLAY].call(x);
const onDisk = (name: string) => JSON.parse(fs.readFileSync(path.join(weightsRoot(), name, "card.json"), "utf8"));

describe("zoo: how pretrained models show themselves", () => {
  it("list() is a table of every shipped model with its recorded test accuracy and parameters", () => {
    const list = zoo.list();
    assert.deepEqual(list.cards.map((c) => c.name), zoo.available());
    const text = shown(list)["text/plain"];
    for (const name of zoo.available()) {
      const card = onDisk(name);
      const row = text.split("\n").find((l) => l.startsWith(`${name} `));
      assert.ok(row, `${name} listed`);
      assert.ok(row!.includes(`${(card.metrics.accuracy * 100).toFixed(2)}%`), `${row} shows ${card.metrics.accuracy}`);
      assert.ok(row!.includes(card.params.toLocaleString("en")), row);
    }
    assert.match(shown(list)["text/html"], /<table/);
  });

  it("a card shows its measurements and training settings, and stays the card.json's data", () => {
    const c = zoo.card("leptonnet-mnist");
    assert.deepEqual(JSON.parse(JSON.stringify(c)), onDisk("leptonnet-mnist"));
    assert.deepEqual(Object.keys(c), Object.keys(onDisk("leptonnet-mnist")));
    const text = shown(c)["text/plain"];
    assert.match(text, /^leptonnet-mnist: leptonNet trained on mnist \(bundled 10,000/);
    assert.match(text, new RegExp(`accuracy\\s+${(c.metrics.accuracy * 100).toFixed(2)}%`));
    assert.match(text, /parameters\s+20,074/);
    assert.match(text, /Training: seed 42, recipe lsaug-d0-e36, epochs 36/);
    assert.equal(inspect(c), `leptonnet-mnist: leptonNet, 20,074 parameters, test accuracy ${(c.metrics.accuracy * 100).toFixed(2)}% on mnist (2,000 samples)`);
  });

  it("in Chinese", () => {
    const before = locale();
    locale("zh-CN");
    try {
      assert.match(String(zoo.list()), /预训练模型/);
      assert.match(inspect(zoo.card("lenet5-mnist")), /^lenet5-mnist：lenet5，61,706 个参数/);
    } finally {
      locale(before);
    }
  });
});
