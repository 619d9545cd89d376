/** Top-level names this module adds to `lepton`: `lepton.env()` and `lepton.seed(n)`. */
export { env } from "./report";
export { seed } from "./random";
