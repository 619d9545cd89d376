/**
 * The KServe v2 (Open Inference Protocol) REST API: server and model metadata, readiness, and
 * `infer` with named typed tensors. https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/
 */
import type { ModelRepository, ServedVersion } from "./repository";
import { RequestError } from "./request-error";

const NUMERIC = new Set(["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"]);
const V2_DTYPES: Record<string, string> = { float32: "FP32", int32: "INT32", bool: "BOOL", string: "BYTES" };

/** `GET /v2`. */
export function serverMetadata(version: string) {
  return { name: "lepton", version, extensions: [] as string[] };
}

/** `GET /v2/models/{name}[/versions/{v}]`. */
export function modelMetadata(repo: ModelRepository, served: ServedVersion, name: string) {
  const m = served.manifest;
  const outputs =
    m.task === "classification"
      ? [
          { name: "label", datatype: "BYTES", shape: [-1] },
          { name: "probabilities", datatype: "FP32", shape: [-1, served.runner.classNames().length] },
        ]
      : m.signature.outputs.map((o) => ({ name: o.name, datatype: V2_DTYPES[o.dtype] ?? "FP32", shape: o.shape }));
  return {
    name,
    versions: repo.status(name).map((s) => String(s.version)),
    platform: "tensorflowjs_layers",
    inputs: m.signature.inputs.map((i) => ({ name: i.name, datatype: V2_DTYPES[i.dtype] ?? "FP32", shape: i.shape })),
    outputs,
    parameters: { version: String(served.version), task: m.task, labels: m.labels ?? null, features: m.signature.features ?? null },
  };
}

interface V2Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

/** Flattens nested arrays without recursion (a hostile body can nest very deeply). */
function flatten(value: unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack: { items: unknown[]; i: number }[] = [{ items: value, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.i++];
    if (Array.isArray(item)) stack.push({ items: item, i: 0 });
    else out.push(item);
  }
  return out;
}

function readTensor(value: unknown, i: number): V2Tensor {
  const where = `inputs[${i}]`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RequestError(400, "deploy:v2TensorFields", { field: where });
  const t = value as Record<string, unknown>;
  if (typeof t.name !== "string" || typeof t.datatype !== "string" || !Array.isArray(t.shape) || !Array.isArray(t.data)) {
    throw new RequestError(400, "deploy:v2TensorFields", { field: where });
  }
  if (!t.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw new RequestError(400, "deploy:v2BadShape", { field: `${where}.shape`, shape: JSON.stringify(t.shape) });
  const data = flatten(t.data as unknown[]);
  const size = (t.shape as number[]).reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new RequestError(400, "deploy:v2SizeMismatch", { field: where, shape: JSON.stringify(t.shape), size, got: data.length });
  if (!NUMERIC.has(t.datatype) && t.datatype !== "BYTES") throw new RequestError(400, "deploy:v2BadDatatype", { field: `${where}.datatype`, got: t.datatype });
  return { name: t.name, shape: t.shape as number[], datatype: t.datatype, data };
}

/** Splits a tensor's flat data into rows of its shape after the first dimension. */
function rowsOf(t: V2Tensor): unknown[] {
  const [n, ...rest] = t.shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const nest = (flat: unknown[], dims: number[]): unknown => {
    if (dims.length === 0) return flat[0];
    const step = flat.length / dims[0];
    return Array.from({ length: dims[0] }, (_, k) => nest(flat.slice(k * step, (k + 1) * step), dims.slice(1)));
  };
  return Array.from({ length: n ?? 0 }, (_, r) => nest(t.data.slice(r * size, (r + 1) * size), rest));
}

/** `POST /v2/models/{name}[/versions/{v}]/infer`. */
export async function infer(served: ServedVersion, name: string, body: Record<string, unknown>) {
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw new RequestError(400, "deploy:v2InferBody", { expected: served.runner.expectedRow() });
  const tensors = body.inputs.map(readTensor);
  const features = served.manifest.signature.features;
  let rows: unknown[];
  if (served.manifest.signature.inputs.length > 1) {
    // A model with several inputs: one tensor per input, rows split by each tensor's shape.
    rows = served.runner.columnsToRows(Object.fromEntries(tensors.map((t) => [t.name, rowsOf(t)])), "inputs");
  } else if (tensors.length > 1 || (features?.length && features.includes(tensors[0].name))) {
    // One tensor per feature (shape [n] or [n, 1]): rebuild `{feature: value}` rows.
    const columns = Object.fromEntries(tensors.map((t) => [t.name, t.data]));
    rows = served.runner.columnsToRows(columns, "inputs");
  } else {
    const t = tensors[0];
    if (t.datatype === "BYTES" && !served.bundle.preprocessing) throw new RequestError(400, "deploy:v2BadDatatype", { field: "inputs[0].datatype", got: t.datatype });
    rows = rowsOf(t);
  }
  const { predictions, values, width, n } = await served.predict(rows, "inputs");
  let outputs: V2Tensor[];
  if (served.manifest.task === "classification") {
    const cls = predictions as { label: string; probabilities: number[] }[];
    const k = cls[0]?.probabilities.length ?? 0;
    outputs = [
      { name: "label", datatype: "BYTES", shape: [n], data: cls.map((p) => p.label) },
      { name: "probabilities", datatype: "FP32", shape: [n, k], data: cls.flatMap((p) => p.probabilities) },
    ];
  } else {
    outputs = [{ name: served.manifest.signature.outputs[0]?.name ?? "output", datatype: "FP32", shape: [n, width], data: Array.from(values) }];
  }
  const wanted = Array.isArray(body.outputs) ? (body.outputs as { name?: unknown }[]).map((o) => String(o?.name)) : undefined;
  if (wanted) {
    const unknown = wanted.filter((w) => !outputs.some((o) => o.name === w));
    if (unknown.length) throw new RequestError(400, "deploy:v2UnknownOutput", { names: unknown.join(", "), available: outputs.map((o) => o.name).join(", ") });
    outputs = outputs.filter((o) => wanted.includes(o.name));
  }
  return {
    model_name: name,
    model_version: String(served.version),
    ...(typeof body.id === "string" ? { id: body.id } : {}),
    outputs,
  };
}
