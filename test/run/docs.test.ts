/**
 * The API reference (TypeDoc over src/index.ts, `npm run docs`) builds without errors, and the
 * TSDoc `@example` blocks that completion and inspect show in the kernel render as code.
 * Rendered into a temporary folder: emitting HTML costs about as much as `--emit none`.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

describe("API reference (TypeDoc)", function () {
  this.timeout(180_000);

  it("builds from typedoc.json without errors and renders @example blocks", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-apidocs-"));
    const typedoc = path.join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
    const r = await new Promise<{ code: number | null; log: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [typedoc, "--out", out, "--logLevel", "Warn"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let log = "";
      child.stdout.on("data", (d: Buffer) => { log += d.toString(); });
      child.stderr.on("data", (d: Buffer) => { log += d.toString(); });
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code, log }));
    });
    // eslint-disable-next-line no-control-regex
    const log = r.log.replace(/\x1b\[[0-9;]*m/g, "");
    assert.equal(r.code, 0, log);
    assert.doesNotMatch(log, /\[error\]/, log);
    for (const page of ["functions/fit.html", "functions/run.runNotebook.html", "classes/LeptonError.html"]) {
      const html = fs.readFileSync(path.join(out, page), "utf8");
      const example = html.indexOf(">Example<");
      assert.ok(example > 0, `${page} has an Example section`);
      assert.match(html.slice(example, example + 2000), /<pre><code class="ts">/, `${page}: the example is rendered as TypeScript`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  });
});
