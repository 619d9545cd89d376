/** is_complete_request: decided from tokens alone (no type information), so it is instant. */
import type * as TS from "typescript";

/** TypeScript loads on first use: the kernel answers kernel_info before paying for it. */
const ts = new Proxy({} as typeof TS, { get: (_t, key) => (require("typescript") as Record<string | symbol, unknown>)[key] });

/** Whether the code is a complete cell, needs more lines, or cannot parse (is_complete_request). */
export function isComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent: string } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, code);
  let depth = 0;
  let unterminated = false;
  let token = scanner.scan();
  const templateStack: number[] = [];
  while (token !== ts.SyntaxKind.EndOfFileToken) {
    if (scanner.isUnterminated()) unterminated = true;
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenParenToken || token === ts.SyntaxKind.OpenBracketToken) depth++;
    else if (token === ts.SyntaxKind.CloseBraceToken) {
      if (templateStack.length && templateStack[templateStack.length - 1] === depth) {
        token = scanner.reScanTemplateToken(false);
        if (scanner.isUnterminated()) unterminated = true;
        if (token === ts.SyntaxKind.TemplateTail) templateStack.pop();
        token = scanner.scan();
        continue;
      }
      depth--;
    } else if (token === ts.SyntaxKind.CloseParenToken || token === ts.SyntaxKind.CloseBracketToken) depth--;
    else if (token === ts.SyntaxKind.TemplateHead) templateStack.push(depth);
    token = scanner.scan();
  }
  if (depth < 0) return { status: "invalid", indent: "" };
  if (unterminated || depth > 0 || templateStack.length) return { status: "incomplete", indent: "  ".repeat(Math.max(depth, 0)) };
  const trimmed = code.trimEnd();
  if (/[=+\-*/%&|^<>,.?:!]$/.test(trimmed) && !/(\+\+|--)$/.test(trimmed)) return { status: "incomplete", indent: "  " };
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const parseErrors = (sf as unknown as { parseDiagnostics: TS.Diagnostic[] }).parseDiagnostics;
  return { status: parseErrors.length ? "invalid" : "complete", indent: "" };
}

