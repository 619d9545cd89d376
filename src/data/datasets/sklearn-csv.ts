/**
 * The scikit-learn style CSV files bundled in `datasets/uci/`: a first line
 * `n_samples,n_features,class names...` (digits.csv.gz has none), then one sample per line with
 * the integer label last.
 */
import * as zlib from "node:zlib";
import { LeptonError } from "../../i18n/index";
import { readBundled } from "./location";

export interface SklearnTable {
  features: Float32Array;
  labels: Int32Array;
  nFeatures: number;
  classes: string[];
}

/**
 * Reads and checks one bundled file (gzip when the name ends in .gz). Without the sklearn header
 * line, `nFeatures` must be given and the classes are the distinct labels.
 */
export function readSklearnCsv(relative: string, headerless?: { nFeatures: number }): SklearnTable {
  const raw = readBundled(relative);
  const text = (relative.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8");
  const all = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = headerless ? undefined : all[0].split(",");
  const lines = headerless ? ["", ...all] : all;
  const nSamples = header ? Number(header[0]) : all.length;
  const nFeatures = header ? Number(header[1]) : headerless!.nFeatures;
  const classes = header ? header.slice(2) : [];
  if (lines.length - 1 !== nSamples) {
    throw new LeptonError("data:fileTruncated", { path: relative, expected: nSamples, found: lines.length - 1 });
  }
  const features = new Float32Array(nSamples * nFeatures);
  const labels = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const cells = lines[i + 1].split(",");
    if (cells.length !== nFeatures + 1) {
      throw new LeptonError("data:csvFieldCount", { path: relative, line: headerless ? i + 1 : i + 2, expected: nFeatures + 1, actual: cells.length });
    }
    for (let j = 0; j < nFeatures; j++) {
      const v = Number(cells[j]);
      if (cells[j] === "" || !Number.isFinite(v)) {
        throw new LeptonError("data:notNumeric", { column: String(j), row: i + 1, line: headerless ? i + 1 : i + 2, value: cells[j], path: relative });
      }
      features[i * nFeatures + j] = v;
    }
    labels[i] = Number(cells[nFeatures]);
  }
    const names = classes.length > 0 ? classes : Array.from(new Set(labels)).sort((a, b) => a - b).map(String);
  return { features, labels, nFeatures, classes: names };
}
