/**
 * `lepton.env()`: a displayable snapshot of the compute environment (backend, SIMD, threads,
 * memory, versions).
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { formatNumber, t } from "../i18n/index";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { displayWidth, escapeHtml, padText } from "../runtime/tables";
import { currentBackend, plannedBackend, type BackendName, type SkippedBackend } from "./resolve";
import { currentSeed } from "./random";

/** The raw values behind {@link EnvReport}. */
export interface EnvInfo {
  backend: BackendName;
  /** False when `ready()` has not run yet (the backend shown is the planned one). */
  initialised: boolean;
  tfjsBackend: string;
  simd?: boolean;
  threads: number;
  cores: number;
  numTensors: number;
  tensorBytes: number;
  wasmHeapBytes?: number;
  rssBytes: number;
  seed?: number;
  skipped: SkippedBackend[];
  versions: Record<string, string>;
}

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(v, { maximumFractionDigits: u ? 1 : 0 })} ${units[u]}`;
}

function wasmHeap(): number | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.length;
}

/** A displayable environment report; `info` holds the values. */
export class EnvReport {
  constructor(readonly info: EnvInfo) {}

  /** Label/value rows in display order. */
  rows(): [string, string][] {
    const i = this.info;
    const yesNo = (b: boolean | undefined) =>
      b === undefined ? t("backend:envNotApplicable") : b ? t("backend:envYes") : t("backend:envNo");
    const rows: [string, string][] = [
      [t("backend:envBackend"), i.initialised ? i.backend : `${i.backend} (${t("backend:envNotApplicable")})`],
      [t("backend:envTfjsBackend"), i.tfjsBackend],
      [t("backend:envSimd"), yesNo(i.simd)],
      [t("backend:envThreads"), formatNumber(i.threads)],
      [t("backend:envCores"), formatNumber(i.cores)],
      [t("backend:envTensors"), formatNumber(i.numTensors)],
      [t("backend:envTensorBytes"), bytes(i.tensorBytes)],
      [t("backend:envWasmHeap"), i.wasmHeapBytes === undefined ? t("backend:envNotApplicable") : bytes(i.wasmHeapBytes)],
      [t("backend:envRss"), bytes(i.rssBytes)],
      [t("backend:envSeed"), i.seed === undefined ? t("backend:envNone") : String(i.seed)],
      [t("backend:envVersions"), Object.entries(i.versions).map(([k, v]) => `${k} ${v}`).join(", ")],
    ];
    for (const s of i.skipped) rows.push([`${t("backend:envSkipped")}: ${s.backend}`, s.reason]);
    return rows;
  }

  toString(): string {
    const rows = this.rows();
    const width = Math.max(...rows.map(([k]) => displayWidth(k)));
    return [t("backend:envTitle"), ...rows.map(([k, v]) => `  ${padText(k, width)}  ${v}`)].join("\n");
  }

  [DISPLAY](): MimeBundle {
    const body = this.rows()
      .map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td style="text-align:left">${escapeHtml(v)}</td></tr>`)
      .join("");
    return {
      "text/plain": this.toString(),
      "text/html": `<table class="lepton-env"><caption>${escapeHtml(t("backend:envTitle"))}</caption>${body}</table>`,
    };
  }
}

/**
 * Reports the compute environment: backend (the planned one until `lepton.backend.ready()` has
 * run), SIMD, threads, tensor and process memory, the seed and library versions.
 *
 * @example
 * ```ts
 * await lepton.backend.ready();
 * lepton.env();            // renders a table in the notebook
 * lepton.env().info.simd;  // true
 * ```
 */
export function env(): EnvReport {
  const report = currentBackend();
  const mem = tf.memory();
  let wasmVersion: string | undefined;
  if (report?.backend === "wasm") {
    wasmVersion = (require("@tensorflow/tfjs-backend-wasm") as { version_wasm: string }).version_wasm;
  }
  const versions: Record<string, string> = { tfjs: tf.version.tfjs, node: process.versions.node };
  if (wasmVersion) versions["tfjs-backend-wasm"] = wasmVersion;
  return new EnvReport({
    backend: report?.backend ?? plannedBackend(),
    initialised: report !== undefined,
    tfjsBackend: report?.tfjsBackend ?? tf.getBackend(),
    simd: report?.simd,
    threads: report?.threads ?? 1,
    cores: os.cpus().length,
    numTensors: mem.numTensors,
    tensorBytes: mem.numBytes,
    wasmHeapBytes: wasmHeap(),
    rssBytes: process.memoryUsage().rss,
    seed: currentSeed(),
    skipped: report?.skipped ?? [],
    versions,
  });
}
