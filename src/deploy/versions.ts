/**
 * The on-disk layout of saved models, as TF Serving uses it: `root/<name>/<version>/` with integer
 * versions; the highest version is the one served by default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../i18n/index";

/** Model names: letters, digits, `.`, `_`, `-`, not starting with a dot (so never `..`). */
export const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Throws unless `name` is a safe model name (it becomes a folder name). */
export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name)) throw new LeptonError("deploy:badModelName", { name });
  return name;
}

/** True when `dir` holds a bundle itself (a `model.json`). */
export function isBundleDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, "model.json"));
}

/** The integer version folders inside a model folder, ascending. */
export function listVersions(modelDir: string): number[] {
  if (!fs.existsSync(modelDir)) return [];
  return fs
    .readdirSync(modelDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d{1,15}$/.test(e.name) && isBundleDir(path.join(modelDir, e.name)))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
}

/** The model folders (those with at least one version) inside a repository folder. */
export function listModels(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && MODEL_NAME.test(e.name) && listVersions(path.join(root, e.name)).length > 0)
    .map((e) => e.name)
    .sort();
}

/** What a folder given by the user turns out to be. */
export type FolderKind = { kind: "bundle"; dir: string } | { kind: "model"; dir: string } | { kind: "repository"; dir: string };

/** Tells a bundle folder, a model folder (with versions) and a repository (with models) apart. */
export function classifyFolder(dir: string): FolderKind {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new LeptonError("deploy:folderMissing", { path: abs });
  if (isBundleDir(abs)) return { kind: "bundle", dir: abs };
  if (listVersions(abs).length > 0) return { kind: "model", dir: abs };
  if (listModels(abs).length > 0) return { kind: "repository", dir: abs };
  throw new LeptonError("deploy:noBundleFound", { path: abs });
}
