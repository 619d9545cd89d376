/** Top-level names this module adds to `lepton` (for example `lepton.fit`). */
export {};
