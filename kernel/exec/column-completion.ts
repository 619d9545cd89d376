/**
 * Completion of a DataFrame's column names inside a string argument (`df.values("pe|`), as IPython
 * completes `df["pe|`: the type checker cannot know a table's columns, the running kernel can.
 */

/** The DataFrame methods whose string arguments name columns. */
const COLUMN_METHODS = new Set([
  "values", "column", "numeric", "select", "drop", "filter", "sortBy", "groupBy", "valueCounts", "unique",
  "labels", "toTensor", "toFloat32", "rename", "withColumn",
]);

/**
 * `variable.method(` ... up to an open quote, then the typed prefix; the arguments before may hold
 * other quoted names (`df.select(["a", "b`) but no nested calls.
 */
const OPEN_STRING_ARGUMENT = /([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z_$][\w$]*)\s*\(\s*\[?((?:\s*(["'])[^"'\n]*\4\s*,)*)\s*(["'])([^"'\\\n]*)$/;

interface FrameLike { columns: string[] }

function isFrame(value: unknown): value is FrameLike {
  const v = value as { columns?: unknown; values?: unknown; groupBy?: unknown } | null;
  return !!v && typeof v === "object" && Array.isArray(v.columns) && typeof v.values === "function" && typeof v.groupBy === "function";
}

/**
 * Column names that complete the string being typed at `pos` (UTF-16 offset), or undefined when
 * the cursor is not in such an argument. `lookup` reads a global of the running kernel.
 */
export function completeColumns(code: string, pos: number, lookup: (name: string) => unknown):
  { matches: string[]; start: number; end: number } | undefined {
  const m = OPEN_STRING_ARGUMENT.exec(code.slice(0, pos));
  if (!m || !COLUMN_METHODS.has(m[2])) return undefined;
  const frame = lookup(m[1]);
  if (!isFrame(frame)) return undefined;
  const prefix = m[6];
  const matches = frame.columns.filter((c) => c.startsWith(prefix));
  return matches.length ? { matches, start: pos - prefix.length, end: pos } : undefined;
}
