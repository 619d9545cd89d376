/**
 * lepton.compress: post-training quantisation (float16, affine uint8, in the tfjs manifest's own
 * format so stock tfjs loads it), magnitude pruning with fine-tuning, and a report comparing size,
 * accuracy and latency. Write a compressed model with `lepton.save(model, dir, {quantize, gzip})`.
 *
 * @example
 * ```ts
 * await lepton.save(model, "models", { name: "mnist", quantize: "uint8" });
 * await lepton.compress.compressionReport(model, { x: xTest, y: yTest });
 * ```
 */
export { quantizeWeightData, affineRange, toFloat16Bits } from "./quantize";
export type { WeightDtype, QuantizeOptions } from "./quantize";
export { prune } from "./prune";
export type { PruneOptions, PruneResult, FineTuneData } from "./prune";
export { compressionReport, CompressionReport } from "./report";
export type { CompressionReportOptions, CompressionRow, CompressedForm } from "./report";
