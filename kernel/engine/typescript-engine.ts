/**
 * The TypeScript engine: type-checks a cell against everything earlier cells declared, emits its
 * JavaScript (with a source map) and declarations, and answers completion, inspection and
 * is-complete questions.
 *
 * Design (measured in test/bench/kernel.ts): one long-lived LanguageService over a fixed set of
 * files: the preload (`lepton`, `tf`, `dfd` as UMD globals), kernel globals (`display`, `input`,
 * ...), the carried state of earlier cells (see cell-state.ts) and ONE cell file that is rewritten
 * per request. Library declaration files never change, so the service re-uses their parsed and
 * bound source files and each check only re-binds the small files that did.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { cellNames, type CellNames } from "./cell-names";
import { CellState } from "./cell-state";

export interface Diagnostic {
  line: number; // 1-based, in the cell
  column: number; // 1-based
  code: number;
  message: string;
  category: "error" | "warning";
}

export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Emitted JavaScript (ES2022 module syntax) and its source map, when ok. */
  js?: string;
  sourceMap?: string;
  names?: CellNames;
  /** Problems that do not stop the cell (an imported package without type declarations). */
  notes?: Diagnostic[];
  /** Call once the cell ran, to carry its declarations into later cells. */
  commit?: () => void;
}

export interface Completion {
  matches: string[];
  start: number; // UTF-16 offsets into the cell
  end: number;
  types: { text: string; type: string }[];
}

export interface Inspection {
  found: boolean;
  text: string;
  markdown: string;
}

export interface EngineOptions {
  cwd: string;
  /** Globals the kernel preloads: name -> [import clause using `__m`, module specifier]. */
  preload: Record<string, [string, string]>;
  /** Extra ambient declarations (the kernel's display/input/comms globals). */
  ambient: string;
}

/** "Could not find a declaration file for module": the package exists but has no types. */
const UNTYPED_MODULE = 7016;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
  allowUmdGlobalAccess: true,
  resolveJsonModule: true,
  declaration: true,
  sourceMap: true,
  inlineSources: false,
  noEmitOnError: false,
  allowJs: false,
  types: ["node"],
  lib: ["lib.es2023.d.ts"],
  experimentalDecorators: false,
};

export class TypeScriptEngine {
  private readonly cwd: string;
  private readonly cellFile: string;
  private readonly globalsFile: string;
  private readonly ambientFile: string;
  private readonly state = new CellState();
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly ls: ts.LanguageService;
  private importFileNames: string[] = [];

  constructor(opts: EngineOptions) {
    this.cwd = opts.cwd;
    this.cellFile = path.join(this.cwd, "__lepton_cell__.ts");
    this.globalsFile = path.join(this.cwd, "__lepton_globals__.d.ts");
    this.ambientFile = path.join(this.cwd, "__lepton_ambient__.d.ts");
    for (const [name, [clause, spec]] of Object.entries(opts.preload)) this.state.setImport(name, clause, spec);
    this.setFile(this.ambientFile, opts.ambient);
    this.setFile(this.cellFile, "export {};\n");
    this.syncState();
    // Each cell makes a new Program. Without these caches TypeScript re-reads every library
    // declaration file and every package.json for it (measured: ~60-120 ms of a trivial cell).
    const moduleCache = ts.createModuleResolutionCache(this.cwd, (s) => s, COMPILER_OPTIONS);
    const typeRefCache = ts.createTypeReferenceDirectiveResolutionCache(this.cwd, (s) => s, COMPILER_OPTIONS, moduleCache.getPackageJsonInfoCache());
    const resolutionHost: ts.ModuleResolutionHost = {
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      directoryExists: (d) => ts.sys.directoryExists(d),
      getDirectories: (d) => ts.sys.getDirectories(d),
      realpath: ts.sys.realpath,
      getCurrentDirectory: () => this.cwd,
    };
    // getModuleResolutionCache and hasInvalidatedResolutions are read by the service although
    // its public type omits them.
    const host: ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache; hasInvalidatedResolutions(): boolean } = {
      getCompilationSettings: () => COMPILER_OPTIONS,
      getScriptFileNames: () => [this.ambientFile, this.globalsFile, ...this.importFileNames, this.cellFile],
      getScriptVersion: (f) => {
        const v = this.files.get(f);
        if (v) return String(v.version);
        // Package files are fixed for the session; the user's own files may be edited between cells.
        return isStable(f) ? "0" : String(fileStamp(f));
      },
      getScriptSnapshot: (f) => this.snapshot(f),
      resolveModuleNameLiterals: (literals, containingFile, redirected, options, containingSourceFile) =>
        literals.map((lit) => {
          const mode = ts.getModeForUsageLocation(containingSourceFile, lit, options);
          const r = ts.resolveModuleName(lit.text, containingFile, options, resolutionHost, moduleCache, redirected, mode);
          // A module that is not there yet (a file the user is about to write) must be looked up again.
          if (!r.resolvedModule) moduleCache.clear();
          return r;
        }),
      resolveTypeReferenceDirectiveReferences: (refs, containingFile, redirected, options, containingSourceFile) =>
        refs.map((ref) => ts.resolveTypeReferenceDirective(
          typeof ref === "string" ? ref : ref.fileName.toLowerCase(), containingFile, options, resolutionHost, redirected, typeRefCache,
          containingSourceFile ? ts.getModeForFileReference(ref as ts.FileReference, containingSourceFile.impliedNodeFormat) : undefined)),
      getModuleResolutionCache: () => moduleCache,
      hasInvalidatedResolutions: () => false,
      getCurrentDirectory: () => this.cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      directoryExists: (d) => ts.sys.directoryExists(d),
      getDirectories: (d) => ts.sys.getDirectories(d),
      readDirectory: ts.sys.readDirectory,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => true,
    };
    this.ls = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  private readonly stableSnapshots = new Map<string, ts.IScriptSnapshot | undefined>();

  private snapshot(f: string): ts.IScriptSnapshot | undefined {
    const v = this.files.get(f);
    if (v) return ts.ScriptSnapshot.fromString(v.text);
    if (isStable(f) && this.stableSnapshots.has(f)) return this.stableSnapshots.get(f);
    const text = ts.sys.readFile(f);
    const snap = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    if (isStable(f)) this.stableSnapshots.set(f, snap);
    return snap;
  }

  private setFile(file: string, text: string): void {
    const prev = this.files.get(file);
    if (prev && prev.text === text) return;
    this.files.set(file, { text, version: (prev?.version ?? 0) + 1 });
  }

  private syncState(): void {
    this.setFile(this.globalsFile, this.state.globalsText());
    const names: string[] = [];
    for (const [local, text] of this.state.importFiles()) {
      const f = path.join(this.cwd, `__lepton_import_${local}__.d.ts`);
      this.setFile(f, text);
      names.push(f);
    }
    this.importFileNames = names;
  }

  /** Parses the cell (no type information) to find its top-level names. */
  private prepare(code: string): { text: string; names: CellNames } {
    const sf = ts.createSourceFile(this.cellFile, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const names = cellNames(sf);
    const exportable = names.declared.filter((n) => !names.exported.has(n));
    // Exporting every top-level name makes declaration emit describe all of them.
    const suffix = exportable.length ? `\nexport { ${exportable.join(", ")} };\n` : "\nexport {};\n";
    return { text: code + suffix, names };
  }

  /** Warms the service up (parses and binds the library declarations) before the first cell. */
  warmUp(): void {
    this.check("const __lepton_warm_up__: number = 1;\n");
    this.setFile(this.cellFile, "export {};\n");
  }

  private diagnosticsLocale = "en";

  /** TypeScript ships its diagnostics in Chinese too; follow the library's locale. */
  setLocale(locale: string): void {
    const tsLocale = /^zh/i.test(locale) ? "zh-cn" : "en";
    if (tsLocale === this.diagnosticsLocale) return;
    this.diagnosticsLocale = tsLocale;
    if (tsLocale === "en") (ts as unknown as { setLocalizedDiagnosticMessages(m: unknown): void }).setLocalizedDiagnosticMessages(undefined);
    else (ts as unknown as { validateLocaleAndSetLanguage(l: string, s: ts.System): void }).validateLocaleAndSetLanguage(tsLocale, ts.sys);
  }

  check(code: string): CheckResult {
    const { text, names } = this.prepare(code);
    this.setFile(this.cellFile, text);
    const raw: ts.Diagnostic[] = [...this.ls.getSyntacticDiagnostics(this.cellFile)];
    if (!raw.length) raw.push(...this.ls.getSemanticDiagnostics(this.cellFile));
    const errors = raw.filter((d) => d.category === ts.DiagnosticCategory.Error);
    // An installed package without type declarations (TS7016) is still usable: in a notebook it is
    // typed `any` with a note, as an untyped `require` would be, rather than refused.
    const untyped = errors.filter((d) => d.code === UNTYPED_MODULE);
    const diagnostics = errors.filter((d) => d.code !== UNTYPED_MODULE).map((d) => this.toDiagnostic(d, code.length));
    if (diagnostics.length) return { ok: false, diagnostics };
    const notes = untyped.map((d) => this.toDiagnostic(d, code.length));
    const out = this.ls.getEmitOutput(this.cellFile);
    const js = out.outputFiles.find((o) => o.name.endsWith(".js"))?.text ?? "";
    const sourceMap = out.outputFiles.find((o) => o.name.endsWith(".js.map"))?.text;
    const dts = out.outputFiles.find((o) => o.name.endsWith(".d.ts"))?.text ?? "";
    const commit = () => {
      for (const imp of names.imports) {
        const clause = imp.kind === "namespace" ? "* as __m" : imp.kind === "default" ? "__m" : `{ ${imp.imported} as __m }`;
        this.state.setImport(imp.local, clause, imp.specifier);
      }
      this.state.addDeclarations(dts, names.declared);
      this.syncState();
    };
    return { ok: true, diagnostics: [], notes, js, sourceMap, names, commit };
  }

  /** Forgets names a failed cell declared but never assigned (see CellState.forget). */
  forget(names: string[]): void {
    if (!names.length) return;
    this.state.forget(names);
    this.syncState();
  }

  private toDiagnostic(d: ts.Diagnostic, codeLength: number): Diagnostic {
    const start = Math.min(d.start ?? 0, codeLength);
    const sf = this.ls.getProgram()?.getSourceFile(this.cellFile);
    const lc = sf ? sf.getLineAndCharacterOfPosition(start) : { line: 0, character: 0 };
    return {
      line: lc.line + 1,
      column: lc.character + 1,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      category: d.category === ts.DiagnosticCategory.Error ? "error" : "warning",
    };
  }

  /** Completions at a UTF-16 offset in the cell. */
  complete(code: string, pos: number): Completion {
    const { text } = this.prepare(code);
    this.setFile(this.cellFile, text);
    const info = this.ls.getCompletionsAtPosition(this.cellFile, pos, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
    });
    let start = pos;
    while (start > 0 && /[\p{L}\p{N}_$]/u.test(code[start - 1])) start--;
    let end = pos;
    while (end < code.length && /[\p{L}\p{N}_$]/u.test(code[end])) end++;
    if (!info) return { matches: [], start, end, types: [] };
    const prefix = code.slice(start, pos);
    const entries = info.entries
      .filter((e) => !e.name.startsWith("__lepton") && (!prefix || e.name.toLowerCase().startsWith(prefix.toLowerCase())))
      .sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
    if (info.optionalReplacementSpan && !prefix) {
      start = info.optionalReplacementSpan.start;
      end = start + info.optionalReplacementSpan.length;
    }
    return {
      matches: entries.map((e) => e.name),
      start,
      end,
      types: entries.map((e) => ({ text: e.name, type: jupyterKind(e.kind) })),
    };
  }

  /** Signature and TSDoc of the symbol at (or just before) a UTF-16 offset. */
  inspect(code: string, pos: number): Inspection {
    const { text } = this.prepare(code);
    this.setFile(this.cellFile, text);
    let info = this.ls.getQuickInfoAtPosition(this.cellFile, pos);
    if (!info && pos > 0) info = this.ls.getQuickInfoAtPosition(this.cellFile, pos - 1);
    if (!info) return { found: false, text: "", markdown: "" };
    const signature = ts.displayPartsToString(info.displayParts);
    const doc = ts.displayPartsToString(info.documentation);
    const tags = (info.tags ?? []).map((t) => {
      const body = ts.displayPartsToString(t.text);
      return t.name === "example" ? `Example:\n${body}` : `@${t.name} ${body}`;
    });
    const plain = [signature, doc, ...tags].filter(Boolean).join("\n\n");
    const md = ["```typescript\n" + signature + "\n```", doc, ...tags.map((t) =>
      t.startsWith("Example:") ? "**Example**\n" + (t.includes("```") ? t.slice(9) : "```typescript\n" + t.slice(9) + "\n```") : t,
    )].filter(Boolean).join("\n\n");
    return { found: true, text: plain, markdown: md };
  }
}

/** Files of installed packages and of TypeScript itself do not change during a session. */
function isStable(f: string): boolean {
  return f.includes(`${path.sep}node_modules${path.sep}`) || f.includes(`${path.sep}dist${path.sep}src${path.sep}`);
}

function fileStamp(f: string): number {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return 0;
  }
}

function jupyterKind(kind: ts.ScriptElementKind): string {
  switch (kind) {
    case ts.ScriptElementKind.functionElement:
    case ts.ScriptElementKind.localFunctionElement:
      return "function";
    case ts.ScriptElementKind.memberFunctionElement:
      return "method";
    case ts.ScriptElementKind.classElement:
      return "class";
    case ts.ScriptElementKind.interfaceElement:
      return "interface";
    case ts.ScriptElementKind.moduleElement:
    case ts.ScriptElementKind.externalModuleName:
      return "module";
    case ts.ScriptElementKind.keyword:
      return "keyword";
    case ts.ScriptElementKind.memberVariableElement:
    case ts.ScriptElementKind.memberGetAccessorElement:
      return "property";
    case ts.ScriptElementKind.constElement:
      return "constant";
    case ts.ScriptElementKind.typeElement:
    case ts.ScriptElementKind.enumElement:
      return "type";
    default:
      return "variable";
  }
}
