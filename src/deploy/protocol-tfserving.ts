/**
 * The TensorFlow Serving REST API (v1): model status, metadata, `:predict` with row
 * (`instances`) or columnar (`inputs`) input, and `:classify`.
 * https://www.tensorflow.org/tfx/serving/api_rest
 */
import type { Prediction } from "./inference";
import type { NumericBody } from "./numeric-body";
import type { ModelRepository, ServedVersion } from "./repository";
import { RequestError } from "./request-error";
import type { TensorSpec } from "./signature";

const TF_DTYPES: Record<string, string> = { float32: "DT_FLOAT", int32: "DT_INT32", bool: "DT_BOOL", string: "DT_STRING" };

function tensorInfo(spec: TensorSpec) {
  return { dtype: TF_DTYPES[spec.dtype] ?? "DT_FLOAT", tensor_shape: { dim: spec.shape.map((d) => ({ size: String(d), name: "" })) }, name: spec.name };
}

/** `GET /v1/models/{name}[/versions/{v}]`. */
export function modelStatus(repo: ModelRepository, name: string, version?: number) {
  const all = repo.status(name);
  const chosen = version === undefined ? all : all.filter((s) => s.version === version);
  if (chosen.length === 0) throw new RequestError(404, "deploy:unknownVersion", { name, version, versions: all.map((s) => s.version).join(", ") });
  return {
    model_version_status: chosen
      .slice()
      .reverse()
      .map((s) => ({
        version: String(s.version),
        state: s.state === "FAILED" ? "END" : s.state,
        status: { error_code: s.state === "FAILED" ? "UNKNOWN" : "OK", error_message: s.error ?? "" },
      })),
  };
}

/** `GET /v1/models/{name}[/versions/{v}]/metadata`: the signature, plus lepton's own details. */
export function modelMetadata(served: ServedVersion, name: string) {
  const m = served.manifest;
  const outputs: Record<string, ReturnType<typeof tensorInfo>> = {};
  if (m.task === "classification") {
    outputs.label = tensorInfo({ name: "label", shape: [-1], dtype: "string" });
    outputs.probabilities = tensorInfo({ name: "probabilities", shape: [-1, served.runner.classNames().length], dtype: "float32" });
  } else for (const o of m.signature.outputs) outputs[o.name] = tensorInfo(o);
  return {
    model_spec: { name, signature_name: "", version: String(served.version) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(m.signature.inputs.map((i) => [i.name, tensorInfo(i)])),
            outputs,
            method_name: m.task === "classification" ? "tensorflow/serving/classify" : "tensorflow/serving/predict",
          },
        },
      },
      lepton: {
        task: m.task,
        labels: m.labels ?? null,
        features: m.signature.features ?? null,
        preprocessing: m.preprocessing?.kind ?? null,
        metrics: m.metrics ?? {},
        provenance: m.provenance,
        weights: m.weights,
      },
    },
  };
}

function columnar(preds: Prediction[]): unknown {
  if (preds.length && typeof preds[0] === "object" && !Array.isArray(preds[0])) {
    const cls = preds as { label: string; probabilities: number[] }[];
    return { label: cls.map((p) => p.label), probabilities: cls.map((p) => p.probabilities) };
  }
  return preds;
}

/**
 * `POST /v1/models/{name}:predict` for a body already read as numbers (`readNumericBody`);
 * undefined when the rows do not fit the model as they are (the general path then explains why).
 */
export async function predictNumeric(served: ServedVersion, body: NumericBody) {
  const prepared = served.runner.prepareNumeric(body.data, body.shape);
  if (!prepared) return undefined;
  const { predictions } = await served.predictPrepared(prepared);
  return body.field === "instances" ? { predictions } : { outputs: columnar(predictions) };
}

/** `POST /v1/models/{name}:predict`. */
export async function predict(served: ServedVersion, body: Record<string, unknown>) {
  const hasInstances = "instances" in body;
  const hasInputs = "inputs" in body;
  if (hasInstances === hasInputs) throw new RequestError(400, "deploy:predictBody", { expected: served.runner.expectedRow() });
  if (hasInstances) return { predictions: (await served.predict(body.instances, "instances")).predictions };
  const inputs = body.inputs;
  const inputName = served.manifest.signature.inputs[0].name;
  let rows: unknown = inputs;
  if (inputs !== null && typeof inputs === "object" && !Array.isArray(inputs)) {
    const obj = inputs as Record<string, unknown>;
    rows = Object.keys(obj).length === 1 && inputName in obj ? obj[inputName] : served.runner.columnsToRows(obj, "inputs");
  }
  return { outputs: columnar((await served.predict(rows, "inputs")).predictions) };
}

/** The rows of a `:classify` / `:regress` body: `examples` (or `instances`), with TF Serving's `context` merged in. */
function exampleRows(served: ServedVersion, body: Record<string, unknown>, verb: "classify" | "regress"): { rows: unknown; field: string } {
  const field = "examples" in body ? "examples" : "instances" in body ? "instances" : undefined;
  if (!field) throw new RequestError(400, "deploy:examplesBody", { verb, expected: served.runner.expectedRow() });
  const context = body.context;
  let rows = body[field];
  // TF Serving's `context` holds features shared by every example.
  if (context !== undefined && context !== null && typeof context === "object" && !Array.isArray(context) && Array.isArray(rows)) {
    rows = rows.map((r) => (r !== null && typeof r === "object" && !Array.isArray(r) ? { ...(context as object), ...(r as object) } : r));
  }
  return { rows, field };
}

/** `POST /v1/models/{name}:classify`: `examples` in, `{"result": [[[label, score], ...], ...]}` out (TF Serving's format). */
export async function classify(served: ServedVersion, body: Record<string, unknown>) {
  if (served.manifest.task !== "classification") throw new RequestError(400, "deploy:notAClassifier", { name: served.manifest.name });
  const { rows, field } = exampleRows(served, body, "classify");
  const { predictions } = await served.predict(rows, field);
  const names = served.runner.classNames();
  return {
    result: (predictions as { probabilities: number[] }[]).map((p) => p.probabilities.map((score, i) => [names[i] ?? String(i), score])),
  };
}

/** `POST /v1/models/{name}:regress`: `examples` in, one value per example out (`{"result": [v1, v2, ...]}`). */
export async function regress(served: ServedVersion, body: Record<string, unknown>) {
  const outputs = served.manifest.signature.outputs;
  const width = outputs.length === 1 ? outputs[0].shape.slice(1).reduce((a, b) => a * Math.max(1, b), 1) : 0;
  if (served.manifest.task !== "regression" || width !== 1) {
    throw new RequestError(400, "deploy:notARegressor", { name: served.manifest.name, task: served.manifest.task, shape: `[${outputs.map((o) => o.shape.join(", ")).join("], [")}]` });
  }
  const { rows, field } = exampleRows(served, body, "regress");
  const { values, n } = await served.predict(rows, field);
  return { result: Array.from(values.subarray(0, n)) };
}
