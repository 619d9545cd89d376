/**
 * Starts `lepton run` in its own process for the tests (real exit code, real stderr):
 * `node -r ts-node/register/transpile-only test/run/run-cli.ts <args>`. It calls the same
 * runCommand that src/cli.ts routes `npx lepton run` to.
 */
import { runCommand } from "../../src/run/cli";

runCommand(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    console.error(e.stack);
    process.exitCode = 3;
  },
);
