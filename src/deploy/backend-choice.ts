/** Picks the compute backend the way the rest of lepton does (src/backend), for the server and benchmarks. */
import * as tf from "@tensorflow/tfjs";

/**
 * Runs `lepton.backend.ready()` (gpu -> node -> wasm -> cpu, or LEPTON_BACKEND) when the backend
 * module loads; otherwise tfjs's own default. Returns the backend name and which way was taken.
 */
export async function chooseBackend(): Promise<{ backend: string; resolver: "lepton" | "tfjs-default" }> {
  let resolver: "lepton" | "tfjs-default" = "tfjs-default";
  try {
    // Loaded lazily: the server must still start if the backend module cannot load.
    const backend = require("../backend/index") as { ready?: () => Promise<unknown> };
    if (typeof backend.ready === "function") {
      await backend.ready();
      resolver = "lepton";
    }
  } catch {
    resolver = "tfjs-default";
  }
  await tf.ready();
  return { backend: tf.getBackend(), resolver };
}
