/**
 * A short hash of a data split, recorded in each pretrained model's card, so a later check can
 * tell whether `lepton.datasets.load` still yields the test split the model was measured on.
 */

/** FNV-1a over the split's labels and its features (numbers rounded to 1/255, or texts). */
export function splitFingerprint(labels: ArrayLike<number>, features: ArrayLike<number> | string[]): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    h ^= v & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (let i = 0; i < labels.length; i++) mix(labels[i]);
  if (Array.isArray(features)) for (const t of features as string[]) for (const ch of t) mix(ch.codePointAt(0) ?? 0);
  else for (let i = 0; i < features.length; i++) mix(Math.round((features as ArrayLike<number>)[i] * 255));
  return h.toString(16).padStart(8, "0");
}
