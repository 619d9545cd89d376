/** Top-level names this module adds to `lepton`: `lepton.save`, `lepton.load`, `lepton.serve`. */
export { save, load } from "./bundle";
export { serve } from "./server";
