/**
 * What earlier cells declared, as TypeScript sees it.
 *
 * Each cell is checked as a module (its names shadow earlier ones freely). After a cell checks
 * clean, its declaration output (`.d.ts`) is split per name and kept here; earlier declarations
 * of a name are dropped when a later cell declares it again, which is what re-running a cell in a
 * notebook means. Values become ambient globals in one script file; import bindings become one UMD
 * module each (`export = m; export as namespace name;`) so that `fs.Stats`, generic types and
 * values all resolve in later cells.
 */
import ts from "typescript";

interface Entry { kind: "decl"; text: string }
interface ImportEntry { kind: "import"; fileText: string }

export class CellState {
  private readonly entries = new Map<string, Entry | ImportEntry>();
  private version = 0;

  /** Bumped whenever the files change (the language service re-reads them). */
  get stateVersion(): number {
    return this.version;
  }

  /** Registers an import binding (also used for the preloaded `lepton`, `tf`, `dfd`). */
  setImport(local: string, importClause: string, specifier: string): void {
    const fileText = `import ${importClause} from ${JSON.stringify(specifier)};\nexport = __m;\nexport as namespace ${local};\n`;
    this.entries.set(local, { kind: "import", fileText });
    this.version++;
  }

  /** Adds the declarations of one cell, given its emitted `.d.ts` and the names it declared. */
  addDeclarations(dts: string, declared: string[]): void {
    const sf = ts.createSourceFile("cell.d.ts", dts, ts.ScriptTarget.Latest, true);
    const byName = new Map<string, string[]>();
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) continue;
      const names = statementNames(st);
      let text = st.getText(sf).replace(/^export\s+(default\s+)?/, "");
      if (!/^declare\s/.test(text) && !ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) {
        text = `declare ${text}`;
      }
      for (const n of names) {
        const list = byName.get(n) ?? [];
        list.push(text);
        byName.set(n, list);
      }
    }
    for (const n of declared) {
      const texts = byName.get(n);
      if (texts) this.entries.set(n, { kind: "decl", text: texts.join("\n") });
      else this.entries.delete(n);
    }
    this.version++;
  }

  /**
   * Drops names whose value never arrived (their cell failed before assigning them), so later
   * cells get "Cannot find name" instead of running into `undefined`, as Python's NameError does.
   */
  forget(names: string[]): void {
    for (const n of names) this.entries.delete(n);
    this.version++;
  }

  /** The ambient script with every carried declaration. */
  globalsText(): string {
    const out: string[] = [];
    for (const e of this.entries.values()) if (e.kind === "decl") out.push(e.text);
    return out.join("\n") + "\n";
  }

  /** UMD files for import bindings: local name -> file text. */
  importFiles(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, e] of this.entries) if (e.kind === "import") out.set(name, e.fileText);
    return out;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }
}

function statementNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) {
    const out: string[] = [];
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push(d.name.text);
    return out;
  }
  const named = st as ts.Statement & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return [named.name.text];
  return [];
}
