import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as data from "../../src/i18n/messages/data";
import * as privacy from "../../src/i18n/messages/privacy";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []);
}

describe("data: message catalogues", () => {
  it("data and privacy catalogues have the same keys in en and zh, all non-empty", () => {
    for (const cat of [data, privacy]) {
      assert.deepEqual(Object.keys(cat.zh).sort(), Object.keys(cat.en).sort());
      for (const [k, v] of Object.entries(cat.zh)) assert.ok(v.trim() !== "" && cat.en[k].trim() !== "", k);
    }
  });

  it("every key the data module uses exists in its catalogue (literal and templated keys)", () => {
    const root = path.resolve(__dirname, "../../src/data");
    const missing: string[] = [];
    for (const file of sources(root)) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/["'`](data|privacy):([A-Za-z0-9.+]+)(\$\{)?/g)) {
        const cat = m[1] === "data" ? data.en : privacy.en;
        if (m[3]) {
          if (!Object.keys(cat).some((k) => k.startsWith(m[2]))) missing.push(`${m[1]}:${m[2]}* in ${file}`);
        } else if (!(m[2] in cat)) missing.push(`${m[1]}:${m[2]} in ${file}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
