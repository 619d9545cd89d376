/** The Jupyter project's own kernel conformance suite, run against the Lepton kernel. */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { PYTHON, run } from "../support/jupyter";

describe("jupyter_kernel_test conformance", function () {
  this.timeout(300_000);
  it("passes every sample jupyter_kernel_test supports", async () => {
    const r = await run(PYTHON, ["-m", "unittest", "-v", "conformance"], { cwd: path.join(__dirname) });
    const summary = r.stderr.split("\n").filter((l) => /^(test_|Ran |OK|FAILED)/.test(l)).join("\n");
    assert.equal(r.code, 0, `conformance failed:\n${r.stderr.slice(-6000)}`);
    assert.match(r.stderr, /Ran \d+ tests/);
    // Only the pager sample (an IPython payload, not part of the messaging protocol) is skipped.
    const skipped = summary.split("\n").filter((l) => /skipped/.test(l) && !l.startsWith("OK"));
    assert.deepEqual(skipped.map((l) => l.split(" ")[0]), ["test_pager"], summary);
  });
});
