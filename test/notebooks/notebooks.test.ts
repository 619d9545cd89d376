/**
 * Every notebook in notebooks/ executed headless by nbclient on the Lepton kernel; any error
 * output (or a cell that fails) fails the test. Executed copies land in test/.out/.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../support/kernel-client";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/plot/renderer";
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

  it("the executed quickstart, exported by nbconvert, shows its charts offline in Chromium", async () => {
    const executed = path.join(OUT, "00-quickstart.ipynb");
    assert.ok(fs.existsSync(executed), "the quickstart ran first");
    const r = await run(PYTHON, ["-m", "nbconvert", "--to", "html", "--output-dir", OUT, executed]);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const html = path.join(OUT, "00-quickstart.html");
    const exe = chromiumPath();
    if (!exe) throw new Error("Chromium is required for this test: apt-get install chromium");
    const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const outbound: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        outbound.push(url);
        return route.abort();
      });
      await page.goto(`file://${html}`);
      await page.waitForSelector(".js-plotly-plot .main-svg", { timeout: 30_000 });
      const traces = await page.$$eval(".js-plotly-plot", (plots) => plots.map((p) => p.querySelectorAll(".scatterlayer .trace, .heatmaplayer .hm").length));
      assert.ok(traces.includes(3), `training curves have 3 traces: ${JSON.stringify(traces)}`);
      assert.ok(traces.some((n) => n >= 1 && n !== 3), `confusion matrix heatmap drawn: ${JSON.stringify(traces)}`);
      if (process.env.LEPTON_SCREENSHOTS) {
        await page.locator(".js-plotly-plot").first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(ROOT, "docs", "screenshots", "quickstart.png"), fullPage: false });
      }
      assert.deepEqual(outbound.filter((u) => !u.includes("mathjax") && !u.includes("require")), [], "no outbound requests besides nbconvert's own template assets");
    } finally {
      await browser.close();
    }
  });
});
