/** Summary statistics of repeated measurements (seeds, folds). */

/** Mean of `v` and its standard error (undefined for a single value). */
export function meanAndStandardError(v: number[]): { mean: number; standardError: number | undefined } {
  const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (v.length - 1)) : undefined;
  return { mean, standardError: sd === undefined ? undefined : sd / Math.sqrt(v.length) };
}
