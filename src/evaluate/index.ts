/**
 * lepton.evaluate: metrics over the whole set that equal scikit-learn's, reports and charts,
 * cross-validation and hyperparameter search.
 *
 * Inputs are tensors or arrays: labels as integers (or one-hot / probability rows, argmax-ed),
 * scores as a positive-class vector or [n, k] class probabilities; for regression, target values
 * as a vector or [n, outputs] (`regressionReport`, `r2Score`, `meanAbsoluteError`, ...).
 */
export { accuracy, precision, recall, f1, precisionRecallF1 } from "./classification";
export type { Average, Scores, ClassScores, ClassOptions, AverageOptions } from "./classification";
export { confusionMatrix, ConfusionMatrix } from "./confusion-matrix";
export type { ConfusionMatrixOptions } from "./confusion-matrix";
export {
  auc, rocCurve, rocCurves, rocAuc, precisionRecallCurve, precisionRecallCurves, averagePrecision,
  RocCurve, PrecisionRecallCurve, CurveSet,
} from "./curves";
export type { CurveOptions, OneVsRestOptions, RocAucOptions } from "./curves";
export { logLoss, exampleLosses } from "./log-loss";
export type { LogLossOptions } from "./log-loss";
export { classificationReport, ClassificationReport } from "./report";
export {
  meanAbsoluteError, meanSquaredError, rootMeanSquaredError, r2Score, explainedVariance, medianAbsoluteError,
  meanAbsolutePercentageError, maxError, regressionReport, RegressionReport,
} from "./regression";
export type { ValuesLike, RegressionScores } from "./regression";
export { compareClassifiers, ClassifierComparison, mcnemarExactP } from "./compare";
export type { CompareOptions, AgreementCounts } from "./compare";
export type { ReportOptions, ReportLine } from "./report";
export { topLosses, TopLosses } from "./top-losses";
export type { TopLossesOptions } from "./top-losses";
export { crossValidate, CrossValidation } from "./cross-validate";
export type { CrossValidateOptions, Dataset, FoldInfo } from "./cross-validate";
export { gridSearch, randomSearch, SearchResult } from "./search";
export type { Params, Trial, Range, SearchOptions, RandomSearchOptions, TrialInfo, Objective, ObjectiveFunction } from "./search";
export type { ObjectiveModule } from "./objective-module";
export { Table } from "./table";
export type { Column, Row, TableOptions } from "./table";
export type { Metrics } from "./metric-results";
export type { LabelsLike, ScoresLike } from "./inputs";
