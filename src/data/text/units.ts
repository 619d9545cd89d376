/**
 * Unicode units of text: code points (never UTF-16 code units) and grapheme clusters (what a
 * reader sees as one character: "é" as e + accent, a family emoji, a Devanagari syllable).
 */

/**
 * The code points of `text` as strings.
 *
 * @example
 * ```ts
 * lepton.data.text.codePoints("a😀");  // ["a", "😀"] (not 3 UTF-16 units)
 * ```
 */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

const segmenters = new Map<string, Intl.Segmenter>();

/**
 * The grapheme clusters of `text` (Intl.Segmenter).
 *
 * @example
 * ```ts
 * lepton.data.text.graphemes("नमस्ते👩‍👩‍👧");  // ["न", "म", "स्ते", "👩‍👩‍👧"]
 * ```
 */
export function graphemes(text: string, locale?: string): string[] {
  const key = locale ?? "";
  let seg = segmenters.get(key);
  if (!seg) { seg = new Intl.Segmenter(locale, { granularity: "grapheme" }); segmenters.set(key, seg); }
  return Array.from(seg.segment(text), (s) => s.segment);
}

/** Words for subword training: Intl word segments that hold a letter or number (CJK included). */
export function words(text: string, locale?: string): string[] {
  const seg = new Intl.Segmenter(locale, { granularity: "word" });
  return Array.from(seg.segment(text.normalize("NFC")), (s) => s.segment).filter((w) => /[\p{L}\p{N}\p{M}\p{So}]/u.test(w));
}
