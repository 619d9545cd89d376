/**
 * `lepton.datasets`: the bundled data sets (offline, in the project's `datasets/` folder).
 *
 * @example
 * ```ts
 * lepton.datasets.list();
 * const { train, test } = await lepton.datasets.load("mnist");
 * ```
 */
export { list, load, info, card, DatasetList, DatasetCard } from "./registry";
export type { LoadOptions, Dataset } from "./registry";
export { TensorSplit, TextSplit } from "./split";
