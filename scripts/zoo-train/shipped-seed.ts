/** The seed of every shipped model and of every data split zoo:train makes (`lepton.seed(42)`, split seed 42). */
export const SEED = 42;
