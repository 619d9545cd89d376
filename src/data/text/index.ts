/**
 * `lepton.data.text`: Unicode-correct tokenisers (graphemes, code points, character n-grams,
 * BPE subwords), vocabularies that save and load, and padding.
 *
 * @example
 * ```ts
 * const { train } = await lepton.datasets.load("udhr-langid");
 * const tok = new lepton.data.text.CharNgramTokenizer([1, 2]).fit(train.texts, { maxSize: 8000 });
 * const x = tok.encodeBatch(train.texts, { length: 200 });
 * ```
 */
export { codePoints, graphemes, words } from "./units";
export { Vocabulary, PAD, UNK } from "./vocabulary";
export type { VocabularyJSON } from "./vocabulary";
export { padSequences, padToTensor } from "./pad";
export type { PadOptions } from "./pad";
export { Tokenizer, CharTokenizer, CharNgramTokenizer, BpeTokenizer, loadTokenizer } from "./tokenizers";
