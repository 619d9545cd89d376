/** Finds the names a cell declares at its top level (they live on across cells). */
import ts from "typescript";

export interface CellNames {
  /** Values and types declared by the cell (let/const/var, function, class, interface, type, enum, namespace). */
  declared: string[];
  /** Names the user already exported (we must not export them twice). */
  exported: Set<string>;
  /** Import bindings: local name -> how to type it as a global. */
  imports: { local: string; specifier: string; kind: "namespace" | "default" | "named"; imported?: string; typeOnly: boolean }[];
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function hasExport(node: ts.Node): boolean {
  return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

export function cellNames(sf: ts.SourceFile): CellNames {
  const declared: string[] = [];
  const exported = new Set<string>();
  const imports: CellNames["imports"] = [];
  for (const st of sf.statements) {
    const before = declared.length;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) bindingNames(d.name, declared);
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name
    ) {
      declared.push(st.name.text);
    } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name) && !(st.flags & ts.NodeFlags.GlobalAugmentation)) {
      declared.push(st.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      const typeOnly = clause.isTypeOnly;
      if (clause.name) imports.push({ local: clause.name.text, specifier: spec, kind: "default", typeOnly });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.push({ local: nb.name.text, specifier: spec, kind: "namespace", typeOnly });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          imports.push({
            local: el.name.text, specifier: spec, kind: "named",
            imported: (el.propertyName ?? el.name).text, typeOnly: typeOnly || el.isTypeOnly,
          });
        }
      }
    }
    if (hasExport(st)) for (const n of declared.slice(before)) exported.add(n);
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) exported.add(el.name.text);
    }
  }
  return { declared: [...new Set(declared)], exported, imports };
}
