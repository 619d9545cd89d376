/**
 * Turns type errors and runtime errors into Jupyter error content (ename, evalue, traceback)
 * whose positions point at the cell's own lines and columns.
 */
import { t } from "../../src/i18n/index";
import { SourceMap } from "node:module";
import * as path from "node:path";
import type { Diagnostic } from "../engine/typescript-engine";

export interface ErrorContent { ename: string; evalue: string; traceback: string[] }

const RED = "\x1b[31m";
const CYAN = "\x1b[36m";
const RESET = "\x1b[0m";

export function typeErrorContent(cellName: string, code: string, diagnostics: Diagnostic[]): ErrorContent {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    traceback.push(t("kernel:typeErrorLine", { where: `${CYAN}${cellName}:${d.line}:${d.column}${RESET}`, error: `${RED}TS${d.code}${RESET}`, message: d.message }));
    const src = lines[d.line - 1];
    if (src !== undefined) {
      traceback.push(`  ${src}`);
      traceback.push(`  ${" ".repeat(Math.max(0, d.column - 1))}${RED}^${RESET}`);
    }
  }
  const first = diagnostics[0];
  return {
    ename: "TypeScriptError",
    evalue: t("kernel:typeErrorValue", { where: `${cellName}:${first.line}:${first.column}`, code: first.code, message: first.message }),
    traceback,
  };
}

export interface CellSource {
  code: string;
  map?: SourceMap;
  headerLength: number;
  /** Line of the script that invokes the cell's async wrapper (its frame is not the user's). */
  wrapperLine: number;
}

/** Maps `cell[N]:line:col` positions in stack traces back to the cells' TypeScript. */
export class CellRegistry {
  private readonly cells = new Map<string, CellSource>();

  add(name: string, source: CellSource): void {
    this.cells.set(name, source);
  }

  map(name: string, line: number, column: number): { line: number; column: number } | undefined {
    const cell = this.cells.get(name);
    if (!cell) return undefined;
    if (line === cell.wrapperLine) return undefined;
    const col = line === 1 ? Math.max(1, column - cell.headerLength) : column;
    if (!cell.map) return { line, column: col };
    const lines = cell.code.split("\n").length;
    const entry = cell.map.findEntry(line - 1, col - 1) as { originalLine?: number; originalColumn?: number };
    if (entry.originalLine === undefined || entry.originalLine >= lines) return undefined;
    return { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  sourceLine(name: string, line: number): string | undefined {
    return this.cells.get(name)?.code.split("\n")[line - 1];
  }
}

const KERNEL_DIR = path.resolve(__dirname, "..");

export function runtimeErrorContent(err: unknown, registry: CellRegistry): ErrorContent {
  if (!(err instanceof Error)) {
    const shown = typeof err === "string" ? JSON.stringify(err) : String(err);
    return { ename: "Uncaught", evalue: shown, traceback: [`${RED}Uncaught${RESET} ${shown}`] };
  }
  const ename = err.name || "Error";
  const evalue = err.message;
  const stack = (err.stack ?? "").split("\n");
  const traceback = [`${RED}${ename}${RESET}: ${evalue}`];
  let firstCellFrame: { cell: string; line: number; column: number } | undefined;
  for (const raw of stack.slice(1)) {
    if (!/^\s+at /.test(raw)) continue;
    if (raw.includes(KERNEL_DIR) || /node:(internal|vm|async_hooks)/.test(raw)) continue;
    let unmapped = false;
    const line = raw.replace(/(cell\[\d+\]):(\d+):(\d+)/g, (m, cell: string, l: string, c: string) => {
      const pos = registry.map(cell, Number(l), Number(c));
      if (!pos) { unmapped = true; return m; }
      firstCellFrame ??= { cell, ...pos };
      return `${cell}:${pos.line}:${pos.column}`;
    });
    // The wrapper's own frame (no source position in the cell) is noise to the user.
    if (!unmapped) traceback.push(line.replace(/^\s+/, "    "));
  }
  if (firstCellFrame) {
    const src = registry.sourceLine(firstCellFrame.cell, firstCellFrame.line);
    if (src !== undefined) {
      traceback.push("");
      traceback.push(`${CYAN}${firstCellFrame.cell}:${firstCellFrame.line}:${firstCellFrame.column}${RESET}`);
      traceback.push(`  ${src}`);
      traceback.push(`  ${" ".repeat(firstCellFrame.column - 1)}${RED}^${RESET}`);
    }
  }
  return { ename, evalue, traceback };
}
