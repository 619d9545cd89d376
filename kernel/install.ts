/**
 * Installs the kernelspec `lepton` ("Lepton TypeScript") where Jupyter looks for kernels:
 * --user (default: ~/.local/share/jupyter/kernels), --sys-prefix (the Python that runs
 * `jupyter`), or --prefix P (P/share/jupyter/kernels). Installing again replaces the spec.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const KERNEL_NAME = "lepton";
export const DISPLAY_NAME = "Lepton TypeScript";

export type InstallWhere = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; prefix: string };

export function kernelsDir(where: InstallWhere): string {
  if (where.kind === "prefix") return path.join(path.resolve(where.prefix), "share", "jupyter", "kernels");
  if (where.kind === "sys-prefix") {
    const python = findPython();
    const prefix = execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    return path.join(prefix, "share", "jupyter", "kernels");
  }
  const base = process.env.JUPYTER_DATA_DIR ??
    (process.platform === "darwin" ? path.join(os.homedir(), "Library", "Jupyter") :
      path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter"));
  return path.join(base, "kernels");
}

function findPython(): string {
  for (const candidate of ["jupyter"]) {
    try {
      const which = execFileSync("sh", ["-c", `command -v ${candidate}`], { encoding: "utf8" }).trim();
      const first = fs.readFileSync(which, "utf8").split("\n")[0];
      if (first.startsWith("#!")) return first.slice(2).trim().split(/\s+/)[0];
    } catch {
      // no jupyter on PATH
    }
  }
  return "python3";
}

/** The kernel.json content: this Node and this checkout's compiled kernel. */
export function kernelSpec(root: string): Record<string, unknown> {
  return {
    argv: [process.execPath, path.join(root, "dist", "kernel", "main.js"), "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { debugger: false, lepton: { root } },
  };
}

/** Writes the kernelspec; returns the folder it wrote. */
export function installKernelSpec(root: string, where: InstallWhere = { kind: "user" }): string {
  const dir = path.join(kernelsDir(where), KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(root), null, 2) + "\n");
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    const src = path.join(root, "kernel", "assets", logo);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, logo));
  }
  return dir;
}
