/** lepton.compress: see the module files for the public surface. */
export {};
