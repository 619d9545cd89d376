/** `npx lepton kernel install` as a user runs it, and Jupyter finding the result. */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../support/kernel-client";
import { run } from "../support/jupyter";

const CLI = path.join(ROOT, "dist", "src", "cli.js");

describe("kernelspec install", function () {
  this.timeout(60_000);

  it("installs into a prefix, idempotently, and Jupyter lists it", async () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-prefix-"));
    for (let i = 0; i < 2; i++) execFileSync(process.execPath, [CLI, "kernel", "install", "--prefix", prefix]);
    const dir = path.join(prefix, "share", "jupyter", "kernels", "lepton");
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "Lepton TypeScript");
    assert.equal(spec.language, "typescript");
    assert.equal(spec.argv[0], process.execPath);
    assert.ok(fs.existsSync(spec.argv[1]), "the kernel entry point exists");
    assert.equal(spec.argv[2], "{connection_file}");
    assert.ok(fs.existsSync(path.join(dir, "logo-64x64.png")));
    const listed = await run("/usr/bin/python3", ["-m", "jupyter_client.kernelspecapp", "list", "--json"], {
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") },
    });
    assert.equal(listed.code, 0, listed.stderr);
    const specs = JSON.parse(listed.stdout).kernelspecs;
    assert.equal(specs.lepton.spec.display_name, "Lepton TypeScript");
  });

  it("npx lepton runs the built command line (dist/src/cli.js is executable)", () => {
    // tsc writes files without the executable bit; npx then fails with "Permission denied" unless
    // npm happens to fix the mode itself, which it does only in some states of node_modules.
    assert.ok((fs.statSync(CLI).mode & 0o111) !== 0, `${CLI} is not executable: run npm run build`);
    const help = execFileSync("npx", ["--no-install", "lepton", "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LEPTON_LOCALE: "en" } });
    assert.match(help, /Usage: lepton <command>/);
  });

  it("refuses unknown options with a clear message and a non-zero exit", () => {
    let failed = false;
    try {
      execFileSync(process.execPath, [CLI, "kernel", "install", "--bogus"], { stdio: "pipe", env: { ...process.env, LEPTON_LOCALE: "en" } });
    } catch (e) {
      failed = true;
      assert.match(String((e as { stderr: Buffer }).stderr), /Unknown option "--bogus"/);
    }
    assert.ok(failed);
  });
});
