/**
 * Reads the project's TypeScript sources with the compiler's parser (so comments, strings and
 * template literals are told apart exactly) and finds message keys and un-localised message text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "../..");

/** Every .ts file under `dir` (relative to the repository root), sorted. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(path.join(ROOT, dir));
  return out.sort();
}

/** A place in the sources, `file:line`. */
export interface Found { where: string; text: string }

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function where(sf: ts.SourceFile, node: ts.Node): string {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${path.relative(ROOT, sf.fileName)}:${line + 1}`;
}

function visit(sf: ts.SourceFile, fn: (node: ts.Node) => void): void {
  const walk = (node: ts.Node) => { fn(node); ts.forEachChild(node, walk); };
  walk(sf);
}

/** A key reference: exact (`ns:key`) or a prefix from a template (`ns:kind.${k}`). */
export interface KeyUse extends Found { ns: string; key: string; prefix: boolean }

/**
 * Every string in code that names a catalogue key (`"ns:key"` in any position, since keys are also
 * passed around in objects), and every key in a `t("…")` / `LeptonError("…")` inside comments
 * (TSDoc examples are what users copy).
 */
export function keyUses(files: string[], namespaces: string[]): KeyUse[] {
  const nsPattern = namespaces.join("|");
  const exact = new RegExp(`^(${nsPattern}):([\\w.+-]+)$`);
  const head = new RegExp(`^(${nsPattern}):([\\w.+-]*)$`);
  const inComment = new RegExp(`(?:\\bt|LeptonError)\\(\\s*["'\`](${nsPattern}):([\\w.+-]+)["'\`]`, "g");
  const uses: KeyUse[] = [];
  for (const file of files) {
    const sf = parse(file);
    visit(sf, (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const m = exact.exec(node.text);
        if (m) uses.push({ where: where(sf, node), text: node.text, ns: m[1], key: m[2], prefix: false });
      } else if (ts.isTemplateExpression(node)) {
        const m = head.exec(node.head.text);
        if (m) uses.push({ where: where(sf, node), text: node.getText(sf), ns: m[1], key: m[2], prefix: true });
      }
    });
    const text = sf.getFullText();
    for (const range of commentRanges(sf)) {
      const comment = text.slice(range.pos, range.end);
      for (const m of comment.matchAll(inComment)) {
        const line = sf.getLineAndCharacterOfPosition(range.pos + (m.index ?? 0)).line + 1;
        uses.push({ where: `${path.relative(ROOT, file)}:${line} (comment)`, text: m[0], ns: m[1], key: m[2], prefix: false });
      }
    }
  }
  return uses;
}

function commentRanges(sf: ts.SourceFile): ts.CommentRange[] {
  const text = sf.getFullText();
  const seen = new Set<number>();
  const out: ts.CommentRange[] = [];
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) if (!seen.has(r.pos)) { seen.add(r.pos); out.push(r); }
  };
  visit(sf, (node) => {
    add(ts.getLeadingCommentRanges(text, node.getFullStart()));
    add(ts.getTrailingCommentRanges(text, node.getEnd()));
  });
  return out;
}

/** Words of natural language: two letters or more (so "\n", "%", "2K" and "\x1b[2K" do not count). */
const LETTERS = /[A-Za-z]{2,}/;
/** HTML markup around a message (`<td class="x">`) is layout, not text to translate. */
const hasWords = (s: string) => LETTERS.test(s.replace(/<[^<>]*>?/g, ""));

function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return [];
}

function isCallTo(node: ts.Node, names: string[]): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.includes(node.expression.text);
}

function containsCallTo(node: ts.Node, names: string[]): boolean {
  let found = false;
  const walk = (n: ts.Node) => { if (found) return; if (isCallTo(n, names)) found = true; else ts.forEachChild(n, walk); };
  walk(node);
  return found;
}

/** Text of a message argument that holds natural-language words outside any `t(...)` call. */
function englishOutsideT(node: ts.Node): string | undefined {
  let hit: string | undefined;
  const walk = (n: ts.Node) => {
    if (hit !== undefined || isCallTo(n, ["t"])) return;
    // A MIME key (`bundle["text/plain"]`) is an index, not a message.
    if (ts.isElementAccessExpression(n.parent) && n.parent.argumentExpression === n) return;
    for (const s of literalTexts(n)) if (hasWords(s)) { hit = s; return; }
    ts.forEachChild(n, walk);
  };
  walk(node);
  return hit;
}

const OUTPUT_CALLS = new Set(["console.log", "console.warn", "console.error", "console.info", "process.stdout.write", "process.stderr.write"]);

/** One un-localised message: what kind of place, where, and the text. */
export interface Offence extends Found { rule: string }

/**
 * Messages that bypass the catalogues:
 * - `new Error(...)` (and TypeError/RangeError) whose message is not a `t(...)` call;
 * - `new LeptonError(code)` whose code is built (template or `+`) instead of being a key;
 * - console / stdout / stderr output with words outside `t(...)`;
 * - a `t(...)` glued to words by `+` or a template literal (a sentence assembled in code);
 * - a template literal holding prose (two words in a row) around its `${}` parts, unless its
 *   file is in `generators` (files or folders/ that write code or config, not messages).
 */
export function unlocalisedMessages(files: string[], generators: string[] = []): Offence[] {
  const out: Offence[] = [];
  for (const file of files) {
    const sf = parse(file);
    visit(sf, (node) => {
      const add = (rule: string, text: string) => out.push({ rule, where: where(sf, node), text: text.slice(0, 120) });
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        const first = node.arguments?.[0];
        if (["Error", "TypeError", "RangeError", "SyntaxError"].includes(name) && first && !isCallTo(first, ["t"])) {
          add("new Error without the catalogue", first.getText(sf));
        }
        if (name === "LeptonError" && first && (ts.isTemplateExpression(first) || ts.isBinaryExpression(first))) {
          add("LeptonError code built in code", first.getText(sf));
        }
      }
      if (ts.isCallExpression(node) && OUTPUT_CALLS.has(node.expression.getText(sf))) {
        for (const arg of node.arguments) {
          const english = englishOutsideT(arg);
          if (english !== undefined) add(`${node.expression.getText(sf)} with literal text`, english);
        }
      }
      if (ts.isTemplateExpression(node) && !generators.some((g) => path.relative(ROOT, file).startsWith(g)) && !containsCallTo(node, ["t"])) {
        // Join first: one HTML tag often spans several parts (`<img alt="${a}" src="${b}">`).
        const prose = literalTexts(node).join("\u0000").replace(/<[^<>]*>?/g, "");
        // A word next to another word or to a `${}` value: "array of ${n}", "${n} rows".
        if (/[A-Za-z]{2,}\s+([A-Za-z]{2,}|\u0000)|\u0000\s+[A-Za-z]{2,}/.test(prose)) add("sentence assembled in a template literal", node.getText(sf));
      }
      const glued = (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) || ts.isTemplateExpression(node);
      if (glued && containsCallTo(node, ["t"])) {
        const parts = ts.isTemplateExpression(node) ? literalTexts(node) : [node.left, node.right].flatMap(literalTexts);
        const english = parts.find(hasWords);
        if (english !== undefined && !(ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
          add("t(...) concatenated with literal text", english);
        }
      }
    });
  }
  return out;
}

/**
 * Interpolation values given to `t(...)` / `LeptonError(...)` as English phrases ("bearer token"):
 * they land in a Chinese sentence untranslated. Identifiers, option names, paths and command
 * lines are not phrases (no spaces, or they start with `-`/`npx`/`lepton`).
 */
export function englishValues(files: string[]): Offence[] {
  const out: Offence[] = [];
  const PHRASE = /^[A-Za-z]+( [a-z]+)+$/;
  for (const file of files) {
    const sf = parse(file);
    visit(sf, (node) => {
      const isT = isCallTo(node, ["t"]);
      const isError = ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "LeptonError";
      if (!isT && !isError) return;
      const values = (node as ts.CallExpression | ts.NewExpression).arguments?.[1];
      if (!values || !ts.isObjectLiteralExpression(values)) return;
      const walk = (n: ts.Node) => {
        if (isCallTo(n, ["t"])) return;
        for (const s of literalTexts(n)) if (PHRASE.test(s.trim()) && !/^(lepton|npx)\b/.test(s)) out.push({ rule: "English phrase as a value", where: where(sf, n), text: s });
        ts.forEachChild(n, walk);
      };
      // A command's name ("kernel install") is typed as is in every language.
      for (const p of values.properties) if (!(p.name && ts.isIdentifier(p.name) && p.name.text === "command")) walk(p);
    });
  }
  return out;
}

/** `{{name}}` placeholders of a message, sorted and unique. */
export function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\{\s*([\w.]+)(?:\s*,[^}]*)?\s*\}\}/g)].map((m) => m[1]))].sort();
}
