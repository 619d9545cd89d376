/**
 * What a run records about its environment (`metadata.lepton` of the output notebook): versions,
 * the backend and seed the kernel used, and SHA-256 hashes of the data files the notebook names.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { typescript } from "./lazy-modules";
import { cellSource, type Notebook } from "./notebook";

/** The project root (where package.json names lepton-workbench), from sources or from dist/. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name === "lepton-workbench") return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..");
  }
}

function packageVersion(name: string, root: string): string | undefined {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [root] });
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Versions of what the run depends on, read from the installed packages (nothing is loaded). */
export function installedVersions(root = projectRoot()): Record<string, string> {
  const out: Record<string, string> = {};
  const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string };
  out.lepton = own.version ?? "0.0.0";
  for (const [key, pkg] of [["tfjs", "@tensorflow/tfjs"], ["tfjs-backend-wasm", "@tensorflow/tfjs-backend-wasm"], ["typescript", "typescript"], ["danfojs-node", "danfojs-node"]]) {
    const v = packageVersion(pkg, root);
    if (v) out[key] = v;
  }
  out.node = process.versions.node;
  return out;
}

/** Every string literal in the notebook's code cells (file names, data set names). */
export function stringLiterals(nb: Notebook): Set<string> {
  const ts = typescript();
  const out = new Set<string>();
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    const sf = ts.createSourceFile("cell.ts", cellSource(cell), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The names a bundled file answers to: its folders and its stem, with `_` read as `-` (`uci/breast_cancer.csv` -> uci, breast-cancer). */
function datasetKeys(relative: string): string[] {
  const parts = relative.split(path.sep);
  const stem = parts.pop()!.split(".")[0];
  return [...parts, stem].map((p) => p.replace(/_/g, "-").toLowerCase());
}

export function sha256File(file: string): string {
  return `sha256:${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}`;
}

/**
 * SHA-256 of the data the notebook names: files named by a string literal (relative to the
 * kernel's folder) and bundled files under `datasets/` whose name or folder is a data set name
 * the notebook uses (`lepton.datasets.load("breast-cancer")` -> `datasets/uci/breast_cancer.*`).
 * Keys are paths relative to the project root when inside it.
 */
export function dataHashes(nb: Notebook, cwd: string, root = projectRoot()): Record<string, string> {
  const literals = stringLiterals(nb);
  const files = new Set<string>();
  for (const s of literals) {
    if (!s || s.includes("\n") || s.length > 500) continue;
    const p = path.resolve(cwd, s);
    try {
      if (fs.statSync(p).isFile()) files.add(p);
    } catch {
      // Not a file: most literals are not.
    }
  }
  const datasets = process.env.LEPTON_DATASETS ? path.resolve(process.env.LEPTON_DATASETS) : path.join(root, "datasets");
  const names = new Set([...literals].map((s) => s.toLowerCase()));
  for (const file of filesUnder(datasets)) {
    if (path.basename(file) === "README.md") continue;
    if (datasetKeys(path.relative(datasets, file)).some((k) => names.has(k))) files.add(file);
  }
  const out: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const rel = path.relative(root, file);
    out[rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/")] = sha256File(file);
  }
  return out;
}

/** Marks the line the kernel prints with what it knows about itself. */
export const ENV_MARKER = "__lepton_run_environment__";

/**
 * Code the run executes in the kernel after the notebook (not stored in it) to learn the backend,
 * seed and library versions actually in use. A block, so it declares no names.
 */
export const ENV_PROBE = `{
  const __info = lepton.env().info;
  console.log(${JSON.stringify(ENV_MARKER)} + JSON.stringify({ backend: __info.backend, initialised: __info.initialised, tfjsBackend: __info.tfjsBackend, seed: __info.seed ?? null, versions: __info.versions, lepton: lepton.version }));
}`;

/** What the kernel said about itself, parsed from its marked line. */
export interface KernelEnvironment {
  backend: string;
  initialised: boolean;
  tfjsBackend: string;
  seed: number | null;
  versions: Record<string, string>;
  lepton: string;
}

export function parseProbe(text: string): KernelEnvironment | undefined {
  const line = text.split("\n").find((l) => l.startsWith(ENV_MARKER));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice(ENV_MARKER.length)) as KernelEnvironment;
  } catch {
    return undefined;
  }
}
