/** lepton.zoo: see the module files for the public surface. */
export {};
