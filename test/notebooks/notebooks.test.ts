/**
 * Every notebook in notebooks/ executed headless by nbclient on the Lepton kernel; any error
 * output (or a cell that fails) fails the test. Executed copies land in test/.out/.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../support/kernel-client";
import { PYTHON, run } from "../support/jupyter";

const NOTEBOOKS = path.join(ROOT, "notebooks");
const OUT = path.join(ROOT, "test", ".out");

function notebooks(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "src" && !entry.name.startsWith(".")) out.push(...notebooks(p));
    else if (entry.name.endsWith(".ipynb")) out.push(p);
  }
  return out.sort();
}

describe("notebooks run headless on the Lepton kernel (nbclient)", function () {
  this.timeout(600_000);
  fs.mkdirSync(OUT, { recursive: true });
  for (const nb of notebooks(NOTEBOOKS)) {
    const rel = path.relative(NOTEBOOKS, nb);
    it(rel, async () => {
      const out = path.join(OUT, rel.replace(/[\\/]/g, "__"));
      const r = await run(PYTHON, [path.join(__dirname, "run_notebook.py"), nb, out, "300"]);
      assert.equal(r.code, 0, `${rel} failed:\n${r.stderr.slice(-4000)}`);
      const executed = JSON.parse(fs.readFileSync(out, "utf8")) as { cells: { cell_type: string; outputs?: unknown[] }[] };
      const code = executed.cells.filter((c) => c.cell_type === "code");
      assert.ok(code.length > 0);
      assert.ok(code.some((c) => (c.outputs ?? []).length > 0), "the notebook produced output");
    });
  }
});
