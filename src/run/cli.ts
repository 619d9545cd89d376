/**
 * `npx lepton run <notebook> [output] [-p name value | -p name=value ...] [-o out.ipynb]`:
 * papermill's command line for the Lepton kernel. Exit code 0 when every cell ran, 1 when a cell
 * failed (the output notebook is written all the same), 2 when the command itself is wrong.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatNumber, LeptonError, t } from "../i18n/index";
import { runNotebook, type RunOptions } from "./runner";

/** The parsed command line. */
export interface RunArguments {
  notebook: string;
  output: string;
  options: RunOptions;
  logOutput: boolean;
}

/** Without -o: `runs/notebooks/<name>.ipynb` under the current folder (runs/ is not versioned, and notebooks/ stays clean). */
function defaultOutput(notebook: string): string {
  const dir = path.join("runs", "notebooks");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, path.basename(notebook));
}

/** Parses the arguments of `lepton run`; throws a LeptonError naming what is wrong. */
export function parseRunArguments(argv: string[]): RunArguments | undefined {
  const texts: Record<string, string> = {};
  let values: Record<string, unknown> = {};
  const positional: string[] = [];
  let output: string | undefined;
  const options: RunOptions = {};
  let logOutput = false;
  const value = (i: number, option: string): string => {
    const v = argv[i];
    if (v === undefined) throw new LeptonError("run:missingValue", { option });
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    const next = (): string => inline ?? value(++i, flag);
    switch (flag) {
      case "-h":
      case "--help":
        return undefined;
      case "-p":
      case "--parameters": {
        const first = value(++i, flag);
        const eq = /^([A-Za-z_$][\w$]*)=(.*)$/s.exec(first);
        if (eq) texts[eq[1]] = eq[2];
        else texts[first] = value(++i, flag);
        break;
      }
      case "-r":
      case "--parameters-raw": {
        // Raw strings: never typed, as papermill's -r.
        const name = value(++i, flag);
        values[name] = value(++i, flag);
        break;
      }
      case "-f":
      case "--parameters-file": {
        const file = next();
        if (!fs.existsSync(file)) throw new LeptonError("run:parametersFileMissing", { path: file });
        let parsed: unknown;
        try {
          parsed = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
          throw new LeptonError("run:parametersFileBad", { path: file, reason: (e as Error).message });
        }
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new LeptonError("run:parametersFileNotObject", { path: file });
        values = { ...values, ...(parsed as Record<string, unknown>) };
        break;
      }
      case "-o":
      case "--output":
        output = next();
        break;
      case "--cwd":
        options.cwd = next();
        if (!fs.existsSync(options.cwd) || !fs.statSync(options.cwd).isDirectory()) throw new LeptonError("run:cwdMissing", { path: options.cwd });
        break;
      case "--timeout-per-cell":
      case "--execution-timeout": {
        const v = next();
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new LeptonError("run:badNumber", { option: flag, value: v });
        options.timeoutPerCell = n;
        break;
      }
      case "-k":
      case "--kernel":
        options.kernel = next();
        break;
      case "--log-output":
        logOutput = true;
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new LeptonError("run:badOption", { option: arg });
        positional.push(arg);
    }
  }
  if (positional.length === 0) throw new LeptonError("run:missingNotebook");
  if (positional.length > 2 || (positional.length === 2 && output !== undefined)) throw new LeptonError("run:extraArgument", { arg: positional[positional.length - 1] });
  const notebook = positional[0];
  options.parameters = values;
  options.textParameters = texts;
  return { notebook, output: output ?? positional[1] ?? defaultOutput(notebook), options, logOutput };
}

/**
 * Runs `lepton run ...` and returns the process exit code.
 *
 * @example
 * ```ts
 * // npx lepton run notebooks/02-training.ipynb -p epochs=1 -p seed=7 -o /tmp/out.ipynb
 * const code = await runCommand(["notebooks/02-training.ipynb", "-p", "epochs=1", "-o", "/tmp/out.ipynb"]);
 * ```
 */
export async function runCommand(argv: string[]): Promise<number> {
  let args: RunArguments | undefined;
  try {
    args = parseRunArguments(argv);
  } catch (e) {
    if (!(e instanceof LeptonError)) throw e;
    console.error(e.message);
    console.error(t("run:usage"));
    return 2;
  }
  if (!args) {
    console.log(t("run:usage"));
    return 0;
  }
  const { notebook, output, logOutput } = args;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  try {
    log(t("run:starting", { notebook, output: output === "-" ? "stdout" : output }));
    const result = await runNotebook(notebook, {
      ...args.options,
      output,
      signal: abort.signal,
      onWarning: (w) => log(w),
      onStream: logOutput ? (_name, text) => process.stderr.write(text) : undefined,
      onCell: (e) => log(t(e.status === "ok" ? "run:cellDone" : "run:cellFailed", {
        position: e.position, total: e.total, index: e.index, line: e.firstLine, seconds: formatNumber(e.seconds, { maximumFractionDigits: 1 }),
      })),
    });
    const where = output === "-" ? "stdout" : output;
    if (result.failure) {
      const f = result.failure;
      log(f.cell < 0
        ? t("run:kernelStartFailed", { error: f.evalue, output: where })
        : t("run:failed", { index: f.cell, line: f.firstLine, ename: f.ename, evalue: f.evalue, output: where }));
      return 1;
    }
    log(t("run:completed", { output: where, seconds: formatNumber(result.record.seconds ?? 0, { maximumFractionDigits: 1 }) }));
    return 0;
  } catch (e) {
    if (!(e instanceof LeptonError)) throw e;
    log(e.message);
    return 2;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
