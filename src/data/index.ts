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
export type { JoinOptions } from "./frame-join";
export type { Column, NumberColumn, StringColumn, Dtype } from "./csv/columns";
export { readCSV, parseCSV, csvBatches } from "./csv/read";
export type { CsvFrame } from "./csv/read";
export type { CsvOptions, CsvReport } from "./csv/parser";
export { toCSV, writeCSV } from "./csv/write";
export type { CsvWriteOptions } from "./csv/write";
export { readJSON, frameFromJSON } from "./json";
export { toTensor, fromTensor, assertFinite, assertShape, assertSameLength } from "./tensors";
export type { ToTensorOptions } from "./tensors";
export { trainTestSplit, trainValTestSplit, kFold, stratifiedKFold } from "./splits";
export type { SplitOptions, Fold, FrameSplitOptions } from "./splits";
export { rng } from "./random";
export type { Rng } from "./random";
export * as datasets from "./datasets/index";
export { clean, CleanReport } from "./clean";
export type { CleanOptions, CleanAction, MissingStrategy } from "./clean";
export { StandardScaler, MinMaxScaler, LabelEncoder, OneHotEncoder, Pipeline, transformFromJSON } from "./transforms";
export type { Transform, TransformJSON, PipelineJSON } from "./transforms";
export { batches, streamBatches } from "./batches";
export type { BatchOptions, Batch, ArraySource, StreamOptions } from "./batches";
export { imageAugmenter, charNoise } from "./augment";
export type { ImageAugmentOptions, Augment, CharNoiseOptions } from "./augment";
export { decodePng, encodePng } from "./images/png";
export type { RawImage } from "./images/png";
export { readImageFolder, readImage } from "./images/folder";
export { decodeJpeg } from "./images/jpeg";
export type { ImageFolderOptions } from "./images/folder";
export { TensorSplit, TextSplit } from "./datasets/split";
export * as text from "./text/index";
export * as privacy from "./privacy/index";
