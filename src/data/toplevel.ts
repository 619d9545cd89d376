/** Top-level names this module adds to `lepton`: `lepton.datasets`. */
export * as datasets from "./datasets/index";
