/**
 * The parts of nbformat 4 a headless run touches: reading and writing notebooks, cell sources and
 * tags, and the papermill `parameters` / `injected-parameters` cells.
 */
import * as fs from "node:fs";
import { LeptonError } from "../i18n/index";

/** A cell as stored in an `.ipynb` file. */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: Record<string, any>[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** An `.ipynb` notebook (nbformat 4). */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, any>;
  nbformat: number;
  nbformat_minor: number;
}

/** Reads a notebook, naming the file and what to do when it is not an nbformat 4 notebook. */
export function readNotebook(file: string): Notebook {
  if (!fs.existsSync(file)) throw new LeptonError("run:notebookMissing", { path: file });
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  } catch (e) {
    throw new LeptonError("run:notebookUnreadable", { path: file, reason: (e as Error).message });
  }
  if (!nb || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new LeptonError("run:notebookNotV4", { path: file, version: String(nb?.nbformat) });
  }
  nb.metadata ??= {};
  return nb;
}

/** Writes a notebook as Jupyter does (one-space indent, UTF-8, final newline); `-` is stdout. */
export function writeNotebook(file: string, nb: Notebook): void {
  const text = JSON.stringify(nb, null, 1) + "\n";
  if (file === "-") process.stdout.write(text);
  else fs.writeFileSync(file, text, "utf8");
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

export function cellTags(cell: NotebookCell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/** The first line of a cell that says something (skips blank and comment lines), for progress and errors. */
export function firstLine(cell: NotebookCell, max = 60): string {
  const lines = cellSource(cell).split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const line = lines.find((l) => !l.startsWith("//")) ?? lines[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

/**
 * Puts an `injected-parameters` cell after the cell tagged `parameters` (at the top when there is
 * none), replacing one left by an earlier run. Returns the index of the new cell.
 */
export function injectParametersCell(nb: Notebook, source: string): number {
  nb.cells = nb.cells.filter((c) => !cellTags(c).includes(INJECTED_TAG));
  const at = nb.cells.findIndex((c) => c.cell_type === "code" && cellTags(c).includes(PARAMETERS_TAG)) + 1;
  const ids = new Set(nb.cells.map((c) => c.id));
  let id = INJECTED_TAG;
  for (let i = 2; ids.has(id); i++) id = `${INJECTED_TAG}-${i}`;
  const cell: NotebookCell = {
    cell_type: "code",
    execution_count: null,
    metadata: { tags: [INJECTED_TAG] },
    outputs: [],
    source,
  };
  // Cell ids exist from nbformat 4.5 on; older notebooks must not gain one.
  if (nb.nbformat_minor >= 5) cell.id = id;
  nb.cells.splice(at, 0, cell);
  return at;
}
