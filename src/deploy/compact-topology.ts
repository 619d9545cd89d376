/**
 * A compact Keras topology for `model.json`. tfjs writes every layer's full config (initialisers,
 * regularisers, constraints, data formats...), most of it the values its own deserialiser would
 * fill in anyway; for a small model that text outweighs the quantised weights. Here each layer
 * keeps only the fields whose removal would change what tfjs rebuilds, checked by rebuilding:
 * the result is kept only if stock `tf.models.modelFromJSON` gives back exactly the same model
 * config (otherwise the full topology is written, unchanged).
 */
import * as tf from "@tensorflow/tfjs";

type JsonObject = Record<string, unknown>;
type LayerClass = { fromConfig(cls: unknown, config: JsonObject): tf.layers.Layer };

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** tfjs-layers' own snake_case -> camelCase rule (serialization_utils' toCamelCase). */
const toCamel = (key: string) => (key.includes("_") ? key.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase()) : key);

/** Canonical text of a config; `null` and a missing field mean the same to every layer's constructor. */
const canonical = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v));

/** camelCase config keys of `layer` that its class rebuilds to the same config without. */
function removableKeys(layer: tf.layers.Layer): Set<string> {
  const cls = layer.constructor as unknown as LayerClass;
  const full = layer.getConfig() as JsonObject;
  const want = canonical(full);
  const removed = new Set<string>();
  let kept: JsonObject = { ...full };
  for (const key of Object.keys(full)) {
    // The name ties the layer to its weights and its inbound nodes: always kept.
    if (key === "name") continue;
    const trial = { ...kept };
    delete trial[key];
    try {
      const rebuilt = cls.fromConfig(cls, JSON.parse(JSON.stringify(trial)) as JsonObject);
      if (canonical(rebuilt.getConfig()) !== want) continue;
    } catch {
      continue;
    }
    kept = trial;
    removed.add(key);
  }
  return removed;
}

/** Drops empty keyword arguments from inbound node entries (`["x", 0, 0, {}]` -> `["x", 0, 0]`). */
function compactInboundNodes(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) =>
    Array.isArray(node) ? node.map((entry) => (Array.isArray(entry) && entry.length === 4 && isObject(entry[3]) && Object.keys(entry[3]).length === 0 ? entry.slice(0, 3) : entry)) : node,
  );
}

function sameModel(a: tf.LayersModel, b: tf.LayersModel): boolean {
  const weights = (m: tf.LayersModel) => JSON.stringify(m.weights.map((w) => [w.originalName, w.shape, w.dtype]));
  return canonical(a.toJSON(null, false)) === canonical(b.toJSON(null, false)) && weights(a) === weights(b);
}

/**
 * Returns a smaller equivalent of a layers-model topology (the `modelTopology` of `model.json`):
 * layer config fields equal to what tfjs-layers' deserialiser uses anyway are left out, as are
 * empty node keyword arguments and the informational `keras_version` / `backend`. Returns the
 * topology unchanged when it cannot prove the compact form rebuilds the same model (a custom layer
 * that is not registered, a format it does not know). `source`, the model `topology` was written
 * from, is used as the reference instead of rebuilding one (it is not changed).
 *
 * @example
 * ```ts
 * const json = JSON.parse(fs.readFileSync("model/model.json", "utf8"));
 * json.modelTopology = await lepton.deploy.compactTopology(json.modelTopology);
 * fs.writeFileSync("model/model.json", JSON.stringify(json)); // LeptonNet: 10.1 kB -> 3.8 kB of topology
 * ```
 */
export async function compactTopology(topology: object, source?: tf.LayersModel): Promise<object> {
  const original = topology as JsonObject;
  const config = original.config;
  if (!isObject(config) || !Array.isArray(config.layers)) return topology;
  let reference: tf.LayersModel | undefined = source;
  let rebuilt: tf.LayersModel | undefined;
  try {
    // The model the topology came from, when the caller has it, saves building one more.
    reference ??= await tf.models.modelFromJSON({ modelTopology: JSON.parse(JSON.stringify(original)) });
    const layers = (config.layers as unknown[]).map((entry) => {
      if (!isObject(entry) || !isObject(entry.config)) return entry;
      const name = (entry.name ?? entry.config.name) as string;
      const layer = reference!.getLayer(name);
      const out: JsonObject = { ...entry };
      if ("inbound_nodes" in entry) out.inbound_nodes = compactInboundNodes(entry.inbound_nodes);
      // Nested models keep their full config: their layers are checked by the final comparison only.
      if (layer instanceof tf.LayersModel) return out;
      const removed = removableKeys(layer);
      out.config = Object.fromEntries(Object.entries(entry.config).filter(([key]) => !removed.has(toCamel(key))));
      return out;
    });
    const { keras_version: _version, backend: _backend, ...rest } = original;
    const compact = { ...rest, config: { ...config, layers } };
    rebuilt = await tf.models.modelFromJSON({ modelTopology: JSON.parse(JSON.stringify(compact)) });
    return sameModel(reference, rebuilt) ? compact : topology;
  } catch {
    return topology;
  } finally {
    if (reference !== source) reference?.dispose();
    rebuilt?.dispose();
  }
}
