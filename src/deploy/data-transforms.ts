/**
 * Saved preprocessing for `lepton.data` transforms (scalers, encoders, Pipeline), whose JSON form
 * is `{type, columns, ...}` and which work on DataFrames: request rows become a DataFrame, the
 * rebuilt transform runs on it, and the model's input columns come out as a matrix. The data
 * module is loaded only when such a bundle is used.
 */
import type * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { DATA_TRANSFORM_KIND, registerPreprocessor, type PreprocessingJSON, type Preprocessor } from "./preprocessing";

interface FrameLike {
  readonly columns: string[];
  toTensor(names?: string[]): tf.Tensor2D;
}
interface TransformLike {
  transform(df: FrameLike): FrameLike;
}

function fromJSON(json: PreprocessingJSON): Preprocessor {
  const features = Array.isArray(json.features) ? (json.features as string[]) : undefined;
  const inputColumns = Array.isArray(json.inputColumns) ? (json.inputColumns as string[]) : undefined;
  let modules: { transform: TransformLike; fromRecords(rows: Record<string, unknown>[]): FrameLike } | undefined;
  const rebuild = () => {
    if (modules) return modules;
    try {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { transformFromJSON } = require("../data/transforms") as { transformFromJSON(j: unknown): TransformLike };
      const { DataFrame } = require("../data/frame") as { DataFrame: { fromRecords(rows: Record<string, unknown>[]): FrameLike } };
      modules = { transform: transformFromJSON(json.transform), fromRecords: (rows) => DataFrame.fromRecords(rows) };
    } catch (cause) {
      throw new LeptonError("deploy:dataTransformUnavailable", { reason: cause instanceof Error ? cause.message : String(cause) }, { cause });
    }
    return modules;
  };
  rebuild();
  return {
    features,
    transform(rows: unknown[]) {
      const m = rebuild();
      const records = rows.map((row) => {
        if (Array.isArray(row)) {
          if (!features || row.length !== features.length) throw new LeptonError("deploy:rowNeedsNames", { features: (features ?? []).join(", ") });
          return Object.fromEntries(features.map((f, j) => [f, row[j]]));
        }
        if (row === null || typeof row !== "object") throw new LeptonError("deploy:rowNeedsNames", { features: (features ?? []).join(", ") });
        return row as Record<string, unknown>;
      });
      const out = m.transform.transform(m.fromRecords(records));
      return out.toTensor(inputColumns ?? out.columns);
    },
    toJSON: () => json,
  };
}

registerPreprocessor(DATA_TRANSFORM_KIND, fromJSON);
