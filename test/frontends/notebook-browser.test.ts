/**
 * A real frontend: Debian's Jupyter Notebook 6 in headless Chromium opens the quickstart on the
 * Lepton kernel, runs every cell from the Cell menu, and the rendered page is checked: no error
 * outputs, the live training chart drawn by plotly.js with its 3 curves, the report table; then a
 * cell typed in by hand shows a tensor as a picture.
 * LEPTON_SCREENSHOTS=1 keeps screenshots in docs/screenshots/notebook-quickstart.png and
 * notebook-tensor.png.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/plot/renderer";
import { ROOT } from "../support/kernel-client";
import { startJupyterServer, type JupyterServer } from "./server";

const NOTEBOOK = "00-quickstart.ipynb";

describe("Jupyter Notebook 6 in headless Chromium runs the quickstart on the Lepton kernel", function () {
  this.timeout(180_000);
  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];

  /** Adds the server's log to a failure, which is where kernel start-up problems show. */
  const withLog = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      const shot = path.join(os.tmpdir(), `lepton-notebook-failure-${Date.now()}.png`);
      await page?.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      throw new Error(`${what}: ${(err as Error).message}\nscreenshot: ${shot}\nbrowser console errors: ${JSON.stringify(consoleErrors.slice(-10))}\n--- server log ---\n${server?.log().slice(-6000)}`);
    }
  };

  before(async function () {
    const exe = chromiumPath();
    if (!exe) throw new Error("Chromium is required for this test: apt-get install chromium");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-nb-"));
    fs.cpSync(path.join(ROOT, "notebooks"), root, { recursive: true });
    server = await startJupyterServer("notebook", root);
    browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the kernel, runs all cells, and renders the chart and tables without errors", async () => {
    const t0 = Date.now();
    await withLog("the notebook page did not open with an idle Lepton kernel", async () => {
      await page.goto(`${server!.url}/notebooks/${NOTEBOOK}?token=${server!.token}`);
      await page.waitForFunction(() => {
        const nb = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected?: () => boolean } } } }).Jupyter?.notebook;
        return nb?.kernel?.is_connected?.() === true && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
      }, undefined, { timeout: 60_000 });
    });
    const indicator = (await page.textContent("#kernel_indicator .kernel_indicator_name"))?.trim();
    assert.equal(indicator, "Lepton TypeScript", "the kernel indicator names the Lepton kernel");
    const kernelName = await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { kernel: { name: string } } } }).Jupyter.notebook.kernel.name);
    assert.equal(kernelName, "lepton");
    const started = Date.now() - t0;

    // Cell > Run All, as a person would.
    await page.click("#celllink");
    await page.click("#run_all_cells > a");

    const codeCells = await page.locator(".cell.code_cell").count();
    assert.ok(codeCells >= 8, `the quickstart has its code cells (${codeCells})`);
    await withLog("the notebook did not finish running", async () => {
      // Done: every code cell has an execution count, none is queued or running, the last has output.
      await page.waitForFunction((n) => {
        const prompts = Array.from(document.querySelectorAll(".cell.code_cell .input_prompt")).map((p) => p.textContent ?? "");
        const errors = document.querySelectorAll(".output_error").length;
        if (errors > 0) return true; // stop waiting: reported below
        const last = document.querySelectorAll(".cell.code_cell");
        const lastOut = last[last.length - 1]?.querySelectorAll(".output_area").length ?? 0;
        return prompts.length === n && prompts.every((p) => /\[\d+\]/.test(p)) && lastOut > 0;
      }, codeCells, { timeout: 110_000, polling: 500 });
    });
    const ran = Date.now() - t0 - started;

    const errors = await page.$$eval(".output_error", (els) => els.map((e) => (e.textContent ?? "").slice(0, 1500)));
    assert.deepEqual(errors, [], `no cell failed:\n${errors.join("\n---\n")}`);

    const rendered = await withLog("the training chart was not drawn", async () => {
      await page.waitForSelector(".output_area .js-plotly-plot .main-svg", { timeout: 20_000 });
      return page.evaluate(() => {
        const plots = Array.from(document.querySelectorAll(".output_area .js-plotly-plot"));
        return {
          traces: plots.map((p) => p.querySelectorAll(".scatterlayer .trace").length),
          heatmaps: plots.map((p) => p.querySelectorAll(".heatmaplayer .hm").length),
          reportRows: Array.from(document.querySelectorAll(".output_area table.lepton-table caption"))
            .filter((c) => /Classification report/.test(c.textContent ?? ""))
            .map((c) => c.closest("table")!.querySelectorAll("tbody tr").length),
          summaryTable: Array.from(document.querySelectorAll(".output_area table th")).some((th) => th.textContent === "Params"),
          stdout: Array.from(document.querySelectorAll(".output_stdout")).map((e) => e.textContent ?? "").join(""),
          progress: document.querySelectorAll(".output_area progress").length,
        };
      });
    });
    assert.ok(rendered.traces.includes(3), `the training-curve chart has 3 traces (loss, val_loss, val_accuracy): ${JSON.stringify(rendered.traces)}`);
    assert.ok(rendered.heatmaps.some((n) => n >= 1), `the confusion matrix is drawn: ${JSON.stringify(rendered.heatmaps)}`);
    assert.equal(rendered.reportRows.length, 1, "the classification report table is shown");
    assert.ok(rendered.reportRows[0] >= 2, `one row per class at least (${rendered.reportRows[0]})`);
    assert.ok(rendered.summaryTable, "the model summary table is shown");
    assert.match(rendered.stdout, /train 455,30, test 114,30/, "console.log output reached the page");
    assert.equal(rendered.progress, 1, "one progress bar, updated in place");
    assert.deepEqual(consoleErrors.filter((e) => /plotly|lepton/i.test(e)), [], "no script errors from our outputs");

    // A cell typed in by hand: a tensor shows as its picture (and a table), as the kernel sends it.
    await withLog("a new cell showing a tensor did not render", async () => {
      await page.locator(".cell.code_cell").last().locator(".input_prompt").click();
      await page.keyboard.press("Escape");
      await page.keyboard.press("b");
      await page.keyboard.press("Enter");
      await page.keyboard.insertText("tf.linspace(0, 1, 48 * 64).reshape([48, 64])");
      await page.keyboard.press("Shift+Enter");
      await page.waitForFunction((n) => {
        const cells = document.querySelectorAll(".cell.code_cell");
        const img = cells.length > n ? cells[n].querySelector<HTMLImageElement>(".output_area img") : null;
        return (img?.complete && img.naturalWidth > 0) || document.querySelectorAll(".output_error").length > 0;
      }, codeCells, { timeout: 30_000 });
    });
    const tensorView = await page.evaluate((n) => {
      const cell = document.querySelectorAll(".cell.code_cell")[n];
      const img = cell.querySelector<HTMLImageElement>(".output_area img")!;
      return {
        size: [img.naturalWidth, img.naturalHeight],
        caption: cell.querySelector("table.lepton-tensor caption")?.textContent,
        errors: Array.from(document.querySelectorAll(".output_error")).map((e) => e.textContent),
      };
    }, codeCells);
    const table = page.locator(".cell.code_cell").nth(codeCells).locator("table.lepton-tensor");
    assert.equal(await table.isVisible(), false, "the values are folded under the picture");
    await page.locator(".cell.code_cell").nth(codeCells).locator("details summary").click();
    assert.equal(await table.isVisible(), true, "one click shows them");
    assert.deepEqual(tensorView.errors, []);
    assert.deepEqual(tensorView.size, [64, 48], "the [48, 64] tensor is drawn as a 64x48 picture");
    assert.equal(tensorView.caption, "Tensor float32 [48, 64]");

    if (process.env.LEPTON_SCREENSHOTS) {
      await page.mouse.move(1199, 899); // no hover highlight in the picture
      await page.locator(".output_area .js-plotly-plot").first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ROOT, "docs", "screenshots", "notebook-quickstart.png") });
      await page.locator(".cell.code_cell").nth(codeCells).screenshot({ path: path.join(ROOT, "docs", "screenshots", "notebook-tensor.png") });
    }
    // eslint-disable-next-line no-console
    console.log(`      kernel ready in ${(started / 1000).toFixed(1)} s, all cells ran in ${(ran / 1000).toFixed(1)} s`);
  });
});
