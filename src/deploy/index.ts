/**
 * lepton.deploy: model bundles (save/load with preprocessing, labels, signature and provenance),
 * the model server (TF Serving REST and KServe v2), Dockerfile generation.
 *
 * @example
 * ```ts
 * await lepton.save(model, "models", { name: "iris", labels, preprocessing: scaler });
 * const server = await lepton.serve("models");
 * await fetch(`${server.url}/v1/models/iris:predict`, { method: "POST", body: JSON.stringify({ instances: rows }) });
 * await server.stop();
 * ```
 */
export { save, load, resolveBundleDir } from "./bundle";
export type { Bundle, BundleManifest, SaveOptions, SavedBundle, LoadOptions } from "./bundle";
export { fileIO, readArtifacts, writeArtifacts, folderBytes } from "./file-io";
export type { FileIOOptions, ModelJson } from "./file-io";
export { compactTopology } from "./compact-topology";
export { inferenceModel } from "./inference-graph";
export { registerPreprocessor, preprocessorKinds } from "./preprocessing";
export type { Preprocessor, PreprocessingJSON } from "./preprocessing";
export { hashData } from "./provenance";
export type { Provenance } from "./provenance";
export type { Signature, TensorSpec, Task } from "./signature";
export type { Prediction } from "./inference";
export { listVersions, listModels } from "./versions";
export { serve } from "./server";
export type { ServeOptions, ServerHandle } from "./server";
export { writeDockerFiles, dockerfileText, dockerignoreText } from "./dockerfile";
export type { DockerOptions } from "./dockerfile";
