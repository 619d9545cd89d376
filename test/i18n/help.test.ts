import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import * as lepton from "../../src/index";
import { DISPLAY } from "../../src/runtime/host";

describe("lepton.help() and what `lepton` shows", () => {
  it("lists every namespace of the library, each with a call that exists", () => {
    const entries = lepton.help().entries();
    const namespaces = Object.keys(lepton).filter((k) => typeof (lepton as Record<string, unknown>)[k] === "object" && !["DISPLAY"].includes(k));
    for (const ns of namespaces) assert.ok(entries.some((e) => e.namespace === `lepton.${ns}`), `lepton.${ns} is missing from help()`);
    for (const e of entries) {
      // "lepton.a.b(...)" or "await lepton.a(...)": the path must lead to a function of the library.
      const path = /lepton\.([\w.]+)\(/.exec(e.start)![1].split(".");
      const fn = path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], lepton);
      assert.equal(typeof fn, "function", `${e.start}: lepton.${path.join(".")} is not a function`);
      assert.ok(e.what.length > 10, e.namespace);
    }
  });

  it("the module itself displays as the overview, and console.log gives its first line", () => {
    const mod = lepton as unknown as Record<symbol, () => Record<string, string>>;
    const bundle = mod[DISPLAY]();
    assert.match(bundle["text/plain"], /^lepton 0\.1\.0 \(backend \w+\)/);
    assert.match(bundle["text/html"], /<td[^>]*>lepton\.zoo<\/td>/);
    assert.match(inspect(lepton), /^lepton 0\.1\.0 \(backend \w+\): from data to a REST service/);
    // Not enumerable: Object.keys(lepton) stays the library's names.
    assert.ok(!Object.keys(lepton).some((k) => k.startsWith("Symbol")));
  });

  it("in Chinese", () => {
    const before = lepton.locale();
    lepton.locale("zh-CN");
    try {
      assert.match(String(lepton.help()), /命名空间/);
      assert.match(lepton.help().entries()[0].what, /随附的数据集/);
    } finally {
      lepton.locale(before);
    }
  });
});
