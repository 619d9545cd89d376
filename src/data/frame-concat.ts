/**
 * `DataFrame.concat`'s column joining: string dictionaries merged, number types widened.
 */
import { LeptonError } from "../i18n/index";
import type { Column, NumberColumn, StringColumn } from "./csv/columns";

/** One column of `concat`: strings re-coded into one dictionary, numbers widened when types differ. */
export function concatColumns(name: string, parts: Column[]): Column {
  const kinds = new Set(parts.map((c) => (c.kind === "string" ? "string" : c.dtype === "date" ? "date" : "number")));
  if (kinds.size > 1) throw new LeptonError("data:concatTypes", { column: name, dtypes: [...new Set(parts.map((c) => c.dtype))].join(", ") });
  const total = parts.reduce((a, c) => a + (c.kind === "string" ? c.codes.length : c.values.length), 0);
  if (parts[0].kind === "string") {
    const lookup = new Map<string, number>();
    const categories: string[] = [];
    const codes = new Int32Array(total);
    let at = 0;
    for (const c of parts as StringColumn[]) {
      const remap = Int32Array.from(c.categories, (s) => {
        let k = lookup.get(s);
        if (k === undefined) { k = categories.length; categories.push(s); lookup.set(s, k); }
        return k;
      });
      for (const code of c.codes) codes[at++] = code < 0 ? -1 : remap[code];
    }
    return { kind: "string", dtype: "string", codes, categories };
  }
  const nums = parts as NumberColumn[];
  const dtype = nums.every((c) => c.dtype === nums[0].dtype) ? nums[0].dtype : "float64";
  const values = dtype === "float32" ? new Float32Array(total) : dtype === "int32" ? new Int32Array(total) : new Float64Array(total);
  let at = 0;
  for (const c of nums) { values.set(c.values, at); at += c.values.length; }
  return { kind: "number", dtype, values } as NumberColumn;
}
