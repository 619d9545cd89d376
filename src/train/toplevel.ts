/** Top-level names this module adds to `lepton`: `lepton.fit` and `lepton.lrFind`. */
export { fit } from "./fit";
export { lrFind } from "./lr-find";
