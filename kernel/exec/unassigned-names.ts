/**
 * Names that a failed cell declared but never gave a value. In a notebook the usual case is
 * `const df = await readCSV("typo.csv")`: the read throws, `df` stays undefined, and without this
 * the next cell fails far away with "Cannot read properties of undefined". Like Python's
 * NameError, such names are forgotten by the type checker, and the "Cannot find name" error a
 * later cell gets says which cell to fix and run again.
 */
import { t } from "../../src/i18n/index";
import type { Diagnostic } from "../engine/typescript-engine";

/** TypeScript's "Cannot find name 'x'" (2304), "... Did you mean" (2552), shorthand `{ x }` (18004). */
const NOT_FOUND_CODES = new Set([2304, 2552, 18004]);

export class UnassignedNames {
  private readonly byName = new Map<string, string>();

  /**
   * Records what a cell left behind. `declared`: every name it declares (a successful
   * declaration clears an earlier failure's mark); `assigned`: the names its statements give a
   * value; `failed`: whether it stopped with an error. Returns the names to forget.
   */
  afterRun(cellName: string, declared: string[], assigned: string[], failed: boolean,
    valueOf: (name: string) => unknown): string[] {
    for (const n of declared) this.byName.delete(n);
    if (!failed) return [];
    const unset = assigned.filter((n) => valueOf(n) === undefined);
    for (const n of unset) this.byName.set(n, cellName);
    return unset;
  }

  /** Adds, to each "Cannot find name" about such a name, which cell declared it and what to do. */
  explain(code: string, diagnostics: Diagnostic[]): Diagnostic[] {
    if (!this.byName.size) return diagnostics;
    const lines = code.split("\n");
    return diagnostics.map((d) => {
      if (!NOT_FOUND_CODES.has(d.code)) return d;
      const name = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*/u.exec((lines[d.line - 1] ?? "").slice(d.column - 1))?.[0];
      const cell = name === undefined ? undefined : this.byName.get(name);
      if (!cell) return d;
      return { ...d, message: `${d.message} ${t("kernel:unassignedName", { name, cell })}` };
    });
  }
}
