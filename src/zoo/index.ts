/**
 * lepton.zoo: model architectures, summaries, transfer-learning helpers and pretrained weights.
 *
 * @example
 * ```ts
 * const model = lepton.zoo.leptonNet({ numClasses: 10 });
 * lepton.zoo.summary(model);
 * const pre = await lepton.zoo.load("leptonnet-mnist");
 * ```
 */
export { logisticRegression, mlp, linearRegression, mlpRegressor } from "./architectures/dense";
export type { LogisticRegressionOptions, MlpOptions, ClassifierHead, LinearRegressionOptions, MlpRegressorOptions } from "./architectures/dense";
export { lenet5 } from "./architectures/lenet";
export type { Lenet5Options } from "./architectures/lenet";
export { leptonNet } from "./architectures/leptonnet";
export type { LeptonNetOptions, LeptonNetStage } from "./architectures/leptonnet";
export { mobileNetTiny } from "./architectures/mobilenet-tiny";
export type { MobileNetTinyOptions } from "./architectures/mobilenet-tiny";
export { textCNN, rnnClassifier } from "./architectures/text";
export type { TextCnnOptions, RnnClassifierOptions, SequenceInput } from "./architectures/text";
export { transformerEncoder } from "./architectures/transformer";
export type { TransformerEncoderOptions } from "./architectures/transformer";
export { autoencoder } from "./architectures/autoencoder";
export type { AutoencoderOptions } from "./architectures/autoencoder";
export { MultiHeadSelfAttention } from "./layers/multi-head-attention";
export type { MultiHeadSelfAttentionArgs } from "./layers/multi-head-attention";
export { PositionEmbedding } from "./layers/position-embedding";
export { MaskedMeanPooling } from "./layers/masked-mean-pooling";
export { summary, ModelSummary } from "./summary";
export { modelLine } from "./model-display";
export type { SummaryRow } from "./summary";
export { freeze, unfreeze, replaceHead, blockNames } from "./transfer";
export type { LayerSelector, ReplaceHeadOptions } from "./transfer";
export { load, card, available, list } from "./pretrained";
export { PretrainedList } from "./pretrained-display";
export type { PretrainedCard } from "./pretrained";
export { fineTune } from "./fine-tune";
export type { FineTuneOptions } from "./fine-tune";
export { foldBatchNorm } from "./fold-batch-norm";
export { calibrateBatchNorm } from "./calibrate-batch-norm";
export type { CalibrateOptions } from "./calibrate-batch-norm";
