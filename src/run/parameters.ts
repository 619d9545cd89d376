/**
 * Parameters of a run, papermill-style: the defaults declared in the cell tagged `parameters`, the
 * values given on the command line (typed from their text) and the TypeScript declarations of the
 * `injected-parameters` cell that overrides them.
 */
import type * as ts from "typescript";
import { typescript } from "./lazy-modules";
import { LeptonError } from "../i18n/index";

/** A name the parameters cell declares, with what can be read of it without running it. */
export interface ParameterDefault {
  name: string;
  keyword: "const" | "let" | "var";
  /** The declared type annotation, when there is one (`number`, `"adam" | "sgd"`, ...). */
  annotation?: string;
  /** The default value, when it is a literal (numbers, strings, booleans, null, arrays and objects of them). */
  value?: unknown;
  /** True when the default is a string (annotated `string` or a string literal). */
  isString: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Throws unless `name` can be declared as a TypeScript constant. */
export function checkParameterName(name: string): string {
  const ts = typescript();
  const token = IDENTIFIER.test(name) ? ts.identifierToKeywordKind(ts.factory.createIdentifier(name)) : undefined;
  const reserved = token !== undefined && ((token >= ts.SyntaxKind.FirstReservedWord && token <= ts.SyntaxKind.LastReservedWord)
    || (token >= ts.SyntaxKind.FirstFutureReservedWord && token <= ts.SyntaxKind.LastFutureReservedWord));
  if (!IDENTIFIER.test(name) || reserved) throw new LeptonError("run:badParameterName", { name });
  return name;
}

/**
 * Types a value given as text, as papermill does: numbers stay numbers, `true`/`false` are
 * booleans, `null` is null, JSON arrays, objects and quoted strings are parsed; anything else is
 * a string.
 *
 * @example
 * ```ts
 * lepton.run.parseParameterValue("3");       // 3
 * lepton.run.parseParameterValue("[64,32]"); // [64, 32]
 * lepton.run.parseParameterValue("adam");    // "adam"
 * ```
 */
export function parseParameterValue(text: string): unknown {
  const s = text.trim();
  if (NUMBER.test(s)) return Number(s);
  if (s === "true" || s === "false") return s === "true";
  if (s === "null") return null;
  if (/^[[{"]/.test(s)) {
    try {
      return JSON.parse(s);
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return text;
}

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * The TypeScript type of a JSON-like value, as the injected declarations write it.
 *
 * @example
 * ```ts
 * lepton.run.typeOfValue([64, 32]);               // "number[]"
 * lepton.run.typeOfValue({ lr: 0.1, units: [8] }); // "{ lr: number; units: number[] }"
 * ```
 */
export function typeOfValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
      return typeof value;
    case "object": {
      if (Array.isArray(value)) {
        const types = [...new Set(value.map(typeOfValue))];
        if (types.length === 0) return "unknown[]";
        return types.length === 1 && !types[0].includes(" ") ? `${types[0]}[]` : `(${types.join(" | ")})[]`;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return "Record<string, unknown>";
      return `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${typeOfValue(v)}`).join("; ")} }`;
    }
    default:
      throw new LeptonError("run:badParameterValue", { value: String(value) });
  }
}

function literalValue(node: ts.Expression): { ok: boolean; value?: unknown } {
  const ts = typescript();
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalValue(node.expression);
  if (ts.isNumericLiteral(node)) return { ok: true, value: Number(node.text) };
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return { ok: true, value: -Number(node.operand.text) };
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { ok: true, value: node.text };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { ok: true, value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { ok: true, value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { ok: true, value: null };
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map(literalValue);
    return items.every((i) => i.ok) ? { ok: true, value: items.map((i) => i.value) } : { ok: false };
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) return { ok: false };
      const v = literalValue(p.initializer);
      if (!v.ok) return { ok: false };
      out[p.name.text] = v.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false };
}

/**
 * Reads the declarations of a parameters cell without running it.
 *
 * @example
 * ```ts
 * lepton.run.parameterDefaults("const epochs = 15;\nconst seed: number = 42;");
 * // [{ name: "epochs", keyword: "const", value: 15, ... }, { name: "seed", annotation: "number", value: 42, ... }]
 * ```
 */
export function parameterDefaults(source: string): ParameterDefault[] {
  const ts = typescript();
  const sf = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ParameterDefault[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const flags = st.declarationList.flags;
    const keyword = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const annotation = d.type?.getText(sf);
      const literal = d.initializer ? literalValue(d.initializer) : { ok: false };
      out.push({
        name: d.name.text,
        keyword,
        ...(annotation ? { annotation } : {}),
        ...(literal.ok ? { value: literal.value } : {}),
        isString: annotation === "string" || (annotation === undefined && typeof literal.value === "string"),
      });
    }
  }
  return out;
}

/** One parameter as it will be injected. */
export interface InjectedParameter {
  name: string;
  value: unknown;
  /** The type written in the declaration. */
  type: string;
  keyword: "const" | "let" | "var";
}

/**
 * Resolves the values to inject: `values` are already typed (an API call or a JSON file), `texts`
 * come from `-p name=value` and are typed by {@link parseParameterValue}, except that a parameter
 * whose default is a string stays a string (`-p name=007` keeps its zeros). A type annotation in
 * the parameters cell is kept, so the kernel's type checker holds the new value to it.
 */
export function resolveParameters(defaults: ParameterDefault[], values: Record<string, unknown>, texts: Record<string, string>): InjectedParameter[] {
  const byName = new Map(defaults.map((d) => [d.name, d]));
  const merged = new Map<string, unknown>();
  for (const [name, value] of Object.entries(values)) merged.set(checkParameterName(name), value);
  for (const [name, text] of Object.entries(texts)) {
    merged.set(checkParameterName(name), byName.get(name)?.isString ? text : parseParameterValue(text));
  }
  return [...merged].map(([name, value]) => {
    const d = byName.get(name);
    // A number or boolean parameter given something else would fail cells later, far from the
    // command line that caused it; say so before anything runs.
    const expected = d && (["number", "boolean", "string"].includes(d.annotation ?? "") ? d.annotation
      : d.annotation === undefined && (typeof d.value === "number" || typeof d.value === "boolean") ? typeof d.value : undefined);
    if (expected && typeof value !== expected) {
      throw new LeptonError("run:parameterType", {
        name, expected, declared: d!.value !== undefined ? JSON.stringify(d!.value) : d!.annotation!,
        value: name in texts ? texts[name] : JSON.stringify(value),
      });
    }
    return { name, value, type: d?.annotation ?? typeOfValue(value), keyword: d?.keyword === "let" || d?.keyword === "var" ? d.keyword : "const" };
  });
}

/**
 * The source of the `injected-parameters` cell: one typed declaration per parameter, after a
 * comment line.
 *
 * @example
 * ```ts
 * lepton.run.injectedSource([{ name: "epochs", value: 3, type: "number", keyword: "const" }], "// Injected");
 * // "// Injected\nconst epochs: number = 3;"
 * ```
 */
export function injectedSource(parameters: InjectedParameter[], comment: string): string {
  const lines = parameters.map((p) => {
    if (p.value === undefined || typeof p.value === "function" || typeof p.value === "bigint" || typeof p.value === "symbol") {
      throw new LeptonError("run:badParameterValue", { value: String(p.value) });
    }
    return `${p.keyword} ${p.name}: ${p.type} = ${JSON.stringify(p.value)};`;
  });
  return [comment, ...lines].join("\n");
}
