/**
 * Which kernel a run starts: the built-in Lepton kernel (this checkout's `dist/kernel/main.js`,
 * so the library and kernel versions always match), or any installed Jupyter kernelspec for
 * TypeScript found on Jupyter's data path.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LeptonError } from "../i18n/index";
import { projectRoot } from "./environment";

export interface KernelCommand {
  name: string;
  /** The command line, given the connection file. */
  argv(connectionFile: string): string[];
}

function kernelDirs(): string[] {
  const dirs = (process.env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean);
  dirs.push(path.join(os.homedir(), ".local", "share", "jupyter"), "/usr/local/share/jupyter", "/usr/share/jupyter");
  return dirs.map((d) => path.join(d, "kernels"));
}

function installedNames(): string[] {
  const names = new Set<string>(["lepton"]);
  for (const dir of kernelDirs()) {
    if (!fs.existsSync(dir)) continue;
    for (const e of fs.readdirSync(dir)) if (fs.existsSync(path.join(dir, e, "kernel.json"))) names.add(e);
  }
  return [...names].sort();
}

/** Resolves a kernel name (`lepton` by default) to the command that starts it. */
export function kernelCommand(name = "lepton"): KernelCommand {
  if (name === "lepton") {
    const main = path.join(projectRoot(), "dist", "kernel", "main.js");
    if (!fs.existsSync(main)) throw new LeptonError("run:kernelNotBuilt", { file: main, root: projectRoot() });
    return { name, argv: (file) => [process.execPath, main, file] };
  }
  for (const dir of kernelDirs()) {
    const specFile = path.join(dir, name, "kernel.json");
    if (!fs.existsSync(specFile)) continue;
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8")) as { argv: string[]; language?: string };
    if (!/^typescript$/i.test(spec.language ?? "")) throw new LeptonError("run:kernelNotTypeScript", { name, language: spec.language ?? "?" });
    return { name, argv: (file) => spec.argv.map((a) => a.replace("{connection_file}", file)) };
  }
  throw new LeptonError("run:unknownKernel", { name, names: installedNames().join(", ") });
}
