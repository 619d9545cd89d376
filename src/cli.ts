#!/usr/bin/env node
/**
 * `npx lepton ...`: install the kernel, start Jupyter, run notebooks headless, serve models.
 *
 * The kernel's own modules are loaded by path at run time (the library never imports the kernel
 * statically, so it also runs in plain scripts and in the model server).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { t } from "./i18n/index";

const ROOT = path.resolve(__dirname, "..", "..");

function kernelModule<T>(name: string): T {
  const file = path.join(ROOT, "dist", "kernel", `${name}.js`);
  if (!fs.existsSync(file)) throw new Error(t("cli:notBuilt", { file, root: ROOT }));
  return require(file) as T;
}

type Install = typeof import("../kernel/install");

function installKernel(args: string[]): string {
  const { installKernelSpec } = kernelModule<Install>("install");
  let where: Parameters<Install["installKernelSpec"]>[1] = { kind: "user" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--user") where = { kind: "user" };
    else if (a === "--sys-prefix") where = { kind: "sys-prefix" };
    else if (a === "--prefix") {
      const prefix = args[++i];
      if (!prefix) throw new Error(t("cli:missingArgument", { what: "--prefix P", usage: "lepton kernel install --prefix P" }));
      where = { kind: "prefix", prefix };
    } else throw new Error(t("cli:badOption", { option: a, command: "kernel install" }));
  }
  const dir = installKernelSpec(ROOT, where);
  console.log(t("cli:kernelInstalled", { dir }));
  return dir;
}

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function jupyterTool(): { tool: string; args: string[] } | undefined {
  if (!has("jupyter")) return undefined;
  for (const sub of ["lab", "notebook"]) {
    if (spawnSync("jupyter", [sub, "--version"], { stdio: "ignore" }).status === 0) return { tool: `jupyter ${sub}`, args: [sub] };
  }
  return undefined;
}

async function start(args: string[]): Promise<number> {
  installKernel([]);
  const jupyter = jupyterTool();
  if (!jupyter) {
    console.error(t("cli:noJupyter"));
    return 1;
  }
  const dir = path.join(ROOT, "notebooks");
  console.log(t("cli:startingJupyter", { tool: jupyter.tool, dir }));
  // Jupyter refuses to run as root without being told; containers and CI machines often are root.
  const rootFlag = process.getuid?.() === 0 ? ["--allow-root"] : [];
  const child = spawn("jupyter", [...jupyter.args, `--notebook-dir=${dir}`, "--ip=127.0.0.1", ...rootFlag, ...args], { stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(t("cli:usage"));
      return 0;
    case "kernel":
      if (rest[0] !== "install") throw new Error(t("cli:unknownCommand", { command: `kernel ${rest[0] ?? ""}`.trim() }));
      installKernel(rest.slice(1));
      return 0;
    case "start":
      return start(rest);
    case "serve": {
      // require, not import(): under module node16 a dynamic import() needs the file extension.
      const { serveCommand } = require("./deploy/cli") as typeof import("./deploy/cli");
      return (await serveCommand(rest)) ?? 0;
    }
    case "deploy": {
      const { deployDockerCommand } = require("./deploy/cli") as typeof import("./deploy/cli");
      if (rest[0] !== "docker") throw new Error(t("cli:unknownCommand", { command: `deploy ${rest[0] ?? ""}`.trim() }));
      return (await deployDockerCommand(rest.slice(1))) ?? 0;
    }
    case "run": {
      const { runCommand } = require("./run/cli") as typeof import("./run/cli");
      return runCommand(rest);
    }
    default:
      throw new Error(t("cli:unknownCommand", { command }));
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  },
);
