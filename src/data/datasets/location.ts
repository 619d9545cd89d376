/**
 * Finds the bundled `datasets/` folder from wherever the library runs (sources under ts-node,
 * `dist/` after a build, or a copy named by LEPTON_DATASETS).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";

let found: string | undefined;

/** The absolute path of the bundled data folder. */
export function datasetsDir(): string {
  if (process.env.LEPTON_DATASETS) return path.resolve(process.env.LEPTON_DATASETS);
  if (found) return found;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "datasets");
    if (fs.existsSync(path.join(candidate, "README.md")) && fs.existsSync(path.join(dir, "package.json"))) {
      return (found = candidate);
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new LeptonError("data:datasetsFolderMissing", { from: __dirname });
}

/** Reads a bundled file, naming the path when it is missing. */
export function readBundled(relative: string): Buffer {
  const file = path.join(datasetsDir(), relative);
  if (!fs.existsSync(file)) throw new LeptonError("data:fileNotFound", { path: file });
  return fs.readFileSync(file);
}
