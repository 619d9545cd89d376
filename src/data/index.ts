/** lepton.data: see the module files for the public surface. */
export {};
