/**
 * `lepton.data`: loaders (CSV, JSON, image folders, text), the DataFrame, preprocessing, splits,
 * batching, augmentation, tokenisers and privacy tools. Bundled data sets are `lepton.datasets`.
 *
 * @example
 * ```ts
 * const df = await lepton.data.readCSV("train.csv");
 * const { train, test } = lepton.data.trainTestSplit(df.length, { labels: df.labels("y").labels });
 * ```
 */
export { DataFrame, DANFO_MAX_CELLS } from "./frame";
export type { Cell, FrameTensorOptions } from "./frame";
export type { Column, NumberColumn, StringColumn, Dtype } from "./csv/columns";
export { readCSV, parseCSV, csvBatches } from "./csv/read";
export type { CsvFrame } from "./csv/read";
export type { CsvOptions, CsvReport } from "./csv/parser";
export { readJSON, frameFromJSON } from "./json";
export { toTensor, fromTensor, assertFinite, assertShape, assertSameLength } from "./tensors";
export type { ToTensorOptions } from "./tensors";
export { trainTestSplit, trainValTestSplit, kFold, stratifiedKFold } from "./splits";
export type { SplitOptions, Fold } from "./splits";
export { rng } from "./random";
export type { Rng } from "./random";
export * as datasets from "./datasets/index";
