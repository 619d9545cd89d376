/**
 * Completion of a DataFrame's column names inside a string argument (`df.values("pe|`), a chart's
 * column option (`plot.scatter({ data: df, x: "pe|`) or an aggregation key
 * (`df.groupBy("k").agg({ "pe|`), as IPython completes `df["pe|`: the type checker cannot know a
 * table's columns, the running kernel can.
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

/** A chart's option naming a column of its `data` frame: `plot.scatter({ data: df, x: "pe`. */
const CHART_OPTION = /\bdata\s*:\s*([A-Za-z_$][\w$]*)[^(){}]*?\b(?:x|y|groups|text|values)\s*:\s*\[?((?:\s*(["'])[^"'\n]*\3\s*,)*)\s*(["'])([^"'\\\n]*)$/;

/** A key of `groupBy(...).agg({ "pe`. */
const AGG_KEY = /([A-Za-z_$][\w$]*)\s*\.\s*groupBy\s*\([^()]*\)\s*\.\s*agg\s*\(\s*\{(?:[^{}]*,)?\s*(["'])([^"'\\\n]*)$/;

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
  const before = code.slice(0, pos);
  const found = ((): [string, string] | undefined => {
    const call = OPEN_STRING_ARGUMENT.exec(before);
    if (call && COLUMN_METHODS.has(call[2])) return [call[1], call[6]];
    const chart = CHART_OPTION.exec(before);
    if (chart) return [chart[1], chart[5]];
    const agg = AGG_KEY.exec(before);
    if (agg) return [agg[1], agg[3]];
    return undefined;
  })();
  if (!found) return undefined;
  const [name, prefix] = found;
  const frame = lookup(name);
  if (!isFrame(frame)) return undefined;
  const matches = frame.columns.filter((c) => c.startsWith(prefix));
  return matches.length ? { matches, start: pos - prefix.length, end: pos } : undefined;
}
