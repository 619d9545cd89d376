/**
 * Turns a cell's emitted JavaScript (module syntax) into a script that runs in the kernel's
 * global scope and keeps its names for later cells:
 * - top-level `let`/`const`/`var`/`class` become assignments to global `var`s (so re-running a
 *   cell that declares `const x` works, as a notebook user expects);
 * - imports become awaited loads through the runtime (`require`, or `import()` for ESM-only);
 * - the last expression statement becomes the cell's value;
 * - the body runs in an async function so top-level `await` works.
 * Edits are made in place on the text so that line numbers stay those of the emitted JS (which
 * the source map maps back to the cell); only line 1 gains a header.
 */
import type * as TS from "typescript";

/** TypeScript loads on first use: the kernel answers kernel_info before paying for it. */
const ts = new Proxy({} as typeof TS, { get: (_t, key) => (require("typescript") as Record<string | symbol, unknown>)[key] });

export interface ScriptCell {
  code: string;
  /** Characters added in front of line 1 (subtract from columns on line 1). */
  headerLength: number;
  /**
   * Names the cell gives a value where their statement runs (initialised variables, classes,
   * imports). A runtime error can stop the cell before some of them get one; functions are not
   * here, they are assigned when the cell starts.
   */
  assigned: string[];
}

/** Name of the runtime object the transformed code calls (installed on globalThis by the kernel). */
export const RUNTIME = "__lepton_rt";

interface Edit { start: number; end: number; text: string }

export function toScript(js: string, stateModulePrefix = "__lepton_"): ScriptCell {
  const sf = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const globals = new Set<string>();
  const functionNames: string[] = [];
  const assigned: string[] = [];
  let importCounter = 0;
  const statements = sf.statements.filter((s) => !(ts.isExportDeclaration(s) && !s.moduleSpecifier));

  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.moduleSpecifier) edits.push(blank(st, sf));
      continue;
    }
    if (ts.isImportDeclaration(st)) {
      const spec = (st.moduleSpecifier as TS.StringLiteral).text;
      if (spec.startsWith(stateModulePrefix)) { edits.push(blank(st, sf)); continue; }
      const tmp = `__lepton_i${importCounter++}`;
      const parts = [`const ${tmp} = await ${RUNTIME}.importModule(${JSON.stringify(spec)});`];
      const clause = st.importClause;
      if (clause?.name) { globals.add(clause.name.text); parts.push(`${clause.name.text} = ${RUNTIME}.defaultOf(${tmp});`); }
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) { globals.add(nb.name.text); parts.push(`${nb.name.text} = ${RUNTIME}.namespaceOf(${tmp});`); }
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          globals.add(el.name.text);
          parts.push(`${el.name.text} = ${RUNTIME}.named(${tmp}, ${JSON.stringify((el.propertyName ?? el.name).text)});`);
        }
      }
      if (clause?.name) assigned.push(clause.name.text);
      if (nb && ts.isNamespaceImport(nb)) assigned.push(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) assigned.push(el.name.text);
      edits.push(replaceKeepingLines(st, sf, parts.join(" ")));
      continue;
    }
    stripExport(st, sf, edits);
    if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      // Remove the `let`/`const`/`var` keyword (blanked, so columns stay put).
      const kw = list.getFirstToken(sf)!;
      const decls = list.declarations;
      for (const d of decls) {
        if (ts.isIdentifier(d.name)) {
          globals.add(d.name.text);
          if (d.initializer) assigned.push(d.name.text);
          if (!d.initializer) edits.push({ start: d.name.end, end: d.name.end, text: " = undefined" });
        } else {
          const names = new Set<string>();
          collect(d.name, names);
          for (const n of names) { globals.add(n); assigned.push(n); }
          edits.push({ start: d.getStart(sf), end: d.getStart(sf), text: "(" });
          edits.push({ start: d.end, end: d.end, text: ")" });
        }
      }
      edits.push({ start: kw.getStart(sf), end: kw.getEnd(), text: " ".repeat(kw.getEnd() - kw.getStart(sf)) });
      continue;
    }
    if (ts.isClassDeclaration(st) && st.name) {
      globals.add(st.name.text);
      assigned.push(st.name.text);
      const classKw = st.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.ClassKeyword)!;
      edits.push({ start: classKw.getStart(sf), end: classKw.getStart(sf), text: `${st.name.text} = ` });
      edits.push({ start: st.end, end: st.end, text: ";" });
      continue;
    }
    if (ts.isFunctionDeclaration(st) && st.name) {
      globals.add(st.name.text);
      functionNames.push(st.name.text);
    }
  }

  // The value of the cell: its last statement, when that is an expression.
  const last = statements[statements.length - 1];
  if (last && ts.isExpressionStatement(last)) {
    const expr = last.expression;
    edits.push({ start: expr.getStart(sf), end: expr.getStart(sf), text: "return { value: (" });
    edits.push({ start: expr.end, end: expr.end, text: ") }" });
  }

  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let body = js;
  for (const e of edits) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  // Drop the source-map comment: the kernel maps positions itself.
  body = body.replace(/\/\/# sourceMappingURL=.*$/m, "");

  const decl = globals.size ? `var ${[...globals].join(", ")}; ` : "";
  const hoisted = functionNames.map((n) => `globalThis.${n} = ${n};`).join(" ");
  const header = `${decl}(async () => { ${hoisted} `;
  return { code: `${header}${body}\n})()`, headerLength: header.length, assigned: [...new Set(assigned)] };
}

function collect(name: TS.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collect(el.name, out);
}

function blank(node: TS.Node, sf: TS.SourceFile): Edit {
  const start = node.getStart(sf);
  const text = sf.text.slice(start, node.end).replace(/[^\n]/g, " ");
  return { start, end: node.end, text };
}

function replaceKeepingLines(node: TS.Node, sf: TS.SourceFile, text: string): Edit {
  const start = node.getStart(sf);
  const newlines = (sf.text.slice(start, node.end).match(/\n/g) ?? []).length;
  return { start, end: node.end, text: text + "\n".repeat(newlines) };
}

function stripExport(st: TS.Statement, sf: TS.SourceFile, edits: Edit[]): void {
  if (!ts.canHaveModifiers(st)) return;
  for (const m of ts.getModifiers(st) ?? []) {
    if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
      edits.push({ start: m.getStart(sf), end: m.end, text: " ".repeat(m.end - m.getStart(sf)) });
    }
  }
}
