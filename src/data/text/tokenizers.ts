/**
 * Tokenisers over Unicode units: characters (grapheme clusters or code points), character
 * n-grams, and a byte-pair-encoding subword tokeniser trained on the data. All map to ids through
 * a {@link Vocabulary}, pad/truncate to tensors, and serialise to JSON.
 */
import * as fs from "node:fs";
import type * as tf from "@tensorflow/tfjs";
import { formatNumber, LeptonError, t } from "../../i18n/index";
import { DISPLAY, INSPECT, type MimeBundle } from "../../runtime/host";
import { escapeHtml } from "../../runtime/tables";
import { padToTensor, type PadOptions } from "./pad";
import { codePoints, graphemes, words } from "./units";
import { Vocabulary } from "./vocabulary";

/** What every tokeniser offers. */
export abstract class Tokenizer {
  abstract readonly kind: string;
  vocabulary: Vocabulary = new Vocabulary([]);
  /** The tokens of one text (strings, before ids). */
  abstract tokenize(text: string): string[];
  /** Learns the vocabulary from training texts. */
  abstract fit(texts: string[], options?: { maxSize?: number; minCount?: number }): this;
  /** Ids of one text (unknown tokens get id 1). */
  encode(text: string): number[] { return this.tokenize(text).map((t) => this.vocabulary.id(t)); }
  /**
   * Ids of many texts, padded/truncated, as an int32 tensor `[texts.length, length]`.
   *
   * @example
   * ```ts
   * const x = tok.encodeBatch(train.texts, { length: 128 });
   * ```
   */
  encodeBatch(texts: string[], options: PadOptions = {}): tf.Tensor2D { return padToTensor(texts.map((t) => this.encode(t)), options); }
  /** Tokens of ids (padding dropped). */
  decodeTokens(ids: number[]): string[] { return ids.filter((i) => i !== 0).map((i) => this.vocabulary.token(i)); }
  abstract toJSON(): Record<string, unknown>;
  /** Writes the tokeniser (settings and vocabulary) as JSON. */
  save(file: string): void { fs.writeFileSync(file, JSON.stringify(this.toJSON()), "utf8"); }

  /** One line: the kind, and the vocabulary size (or that it is not fitted yet). */
  toString(): string {
    const name = this.constructor.name;
    // Only the two reserved tokens (padding, unknown): fit has not run.
    if (this.vocabulary.size <= 2) return t("data:tokenizerNotFitted", { name });
    return t("data:tokenizerLine", { name, size: formatNumber(this.vocabulary.size) });
  }

  /** The line and the most frequent tokens (ids 2 onwards, shown as JSON strings so spaces and marks are visible). */
  [DISPLAY](): MimeBundle {
    const line = this.toString();
    if (this.vocabulary.size <= 2) return { "text/plain": line };
    const first = this.vocabulary.tokens.slice(2, 42).map((tok) => JSON.stringify(tok)).join(" ");
    const more = t("data:tokenizerFirst", { count: Math.min(40, this.vocabulary.size - 2) });
    return { "text/plain": `${line}\n${more}: ${first}`, "text/html": `<div>${escapeHtml(line)}</div><div>${escapeHtml(more)}: <code>${escapeHtml(first)}</code></div>` };
  }

  [INSPECT](): string { return this.toString(); }
}

function count(texts: string[], split: (t: string) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts) for (const tok of split(t)) counts.set(tok, (counts.get(tok) ?? 0) + 1);
  return counts;
}

/**
 * One token per character: grapheme clusters (default) or code points.
 *
 * @example
 * ```ts
 * const tok = new lepton.data.text.CharTokenizer().fit(train.texts);
 * tok.tokenize("héllo 👋🏽");  // ["h", "é", "l", "l", "o", " ", "👋🏽"]
 * ```
 */
export class CharTokenizer extends Tokenizer {
  readonly kind = "char";
  constructor(readonly unit: "grapheme" | "codepoint" = "grapheme", readonly lowercase = false) { super(); }
  tokenize(text: string): string[] {
    const t = this.lowercase ? text.toLowerCase() : text;
    return this.unit === "grapheme" ? graphemes(t.normalize("NFC")) : codePoints(t.normalize("NFC"));
  }
  fit(texts: string[], options: { maxSize?: number; minCount?: number } = {}): this {
    this.vocabulary = Vocabulary.fromCounts(count(texts, (t) => this.tokenize(t)), options);
    return this;
  }
  toJSON(): Record<string, unknown> { return { kind: this.kind, unit: this.unit, lowercase: this.lowercase, vocabulary: this.vocabulary.toJSON() }; }
}

/**
 * Character n-grams (over grapheme clusters, with boundary marks), e.g. for language
 * identification: "猫が" with n = 2 gives "⟨猫", "猫が", "が⟩".
 *
 * @example
 * ```ts
 * const tok = new lepton.data.text.CharNgramTokenizer([1, 3]).fit(train.texts, { maxSize: 20000 });
 * ```
 */
export class CharNgramTokenizer extends Tokenizer {
  readonly kind = "char-ngram";
  constructor(readonly n: [number, number] = [1, 3], readonly lowercase = true) { super(); }
  tokenize(text: string): string[] {
    const g = ["⟨", ...graphemes((this.lowercase ? text.toLowerCase() : text).normalize("NFC")), "⟩"];
    const out: string[] = [];
    for (let n = this.n[0]; n <= this.n[1]; n++) for (let i = 0; i + n <= g.length; i++) out.push(g.slice(i, i + n).join(""));
    return out;
  }
  fit(texts: string[], options: { maxSize?: number; minCount?: number } = {}): this {
    this.vocabulary = Vocabulary.fromCounts(count(texts, (t) => this.tokenize(t)), options);
    return this;
  }
  /** Bag-of-n-grams counts `[texts.length, vocabulary.size]` (row-major), for linear models. */
  counts(texts: string[]): Float32Array {
    const k = this.vocabulary.size;
    const out = new Float32Array(texts.length * k);
    texts.forEach((t, i) => { for (const id of this.encode(t)) out[i * k + id] += 1; });
    return out;
  }
  toJSON(): Record<string, unknown> { return { kind: this.kind, n: this.n, lowercase: this.lowercase, vocabulary: this.vocabulary.toJSON() }; }
}

const END = "</w>";

/**
 * Byte-pair encoding over grapheme clusters, trained on the data: starts from characters and
 * merges the most frequent adjacent pair `numMerges` times (the vocabulary is every character
 * plus every merge that training text uses; many scripts mean a large base alphabet).
 * Words come from Intl.Segmenter, so unspaced scripts (Chinese, Japanese) split sensibly.
 *
 * @example
 * ```ts
 * const bpe = new lepton.data.text.BpeTokenizer(1000).fit(train.texts);
 * bpe.tokenize("unbelievable");   // e.g. ["un", "believ", "able</w>"]
 * bpe.save("bpe.json"); const same = lepton.data.text.loadTokenizer("bpe.json");
 * ```
 */
export class BpeTokenizer extends Tokenizer {
  readonly kind = "bpe";
  merges: [string, string][] = [];
  private ranks = new Map<string, number>();
  private cache = new Map<string, string[]>();
  constructor(readonly numMerges = 1000, readonly lowercase = true) { super(); }

  fit(texts: string[], options: { minCount?: number } = {}): this {
    const wordCounts = count(texts, (t) => words(this.lowercase ? t.toLowerCase() : t));
    const entries = [...wordCounts.entries()].map(([w, c]) => {
      const g = graphemes(w);
      return { symbols: [...g.slice(0, -1), g[g.length - 1] + END], count: c };
    });
    // pair counts kept up to date incrementally: a merge only touches the words that hold the pair
    const pairs = new Map<string, number>();
    const where = new Map<string, Set<number>>();
    const account = (e: number, sign: 1 | -1) => {
      const { symbols, count: c } = entries[e];
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] + "\u0000" + symbols[i + 1];
        pairs.set(key, (pairs.get(key) ?? 0) + sign * c);
        if (sign > 0) { let set = where.get(key); if (!set) where.set(key, (set = new Set())); set.add(e); }
      }
    };
    entries.forEach((_, e) => account(e, 1));
    this.merges = [];
    const minCount = options.minCount ?? 2;
    while (this.merges.length < this.numMerges) {
      let best = "", bestCount = minCount - 1;
      for (const [k, c] of pairs) if (c > bestCount || (c === bestCount && best !== "" && k < best)) { best = k; bestCount = c; }
      if (best === "") break;
      const [a, b] = best.split("\u0000");
      this.merges.push([a, b]);
      for (const e of where.get(best) ?? []) {
        account(e, -1);
        entries[e].symbols = mergePair(entries[e].symbols, a, b);
        account(e, 1);
      }
      pairs.delete(best);
      where.delete(best);
    }
    this.index();
    // the vocabulary holds every symbol that training text still uses, most frequent first
    this.vocabulary = Vocabulary.fromCounts(count(texts, (t) => this.tokenize(t)));
    return this;
  }

  private index(): void {
    this.ranks = new Map(this.merges.map(([a, b], i) => [a + "\u0000" + b, i]));
    this.cache.clear();
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const w of words(this.lowercase ? text.toLowerCase() : text)) {
      let pieces = this.cache.get(w);
      if (!pieces) {
        const g = graphemes(w);
        let symbols = [...g.slice(0, -1), g[g.length - 1] + END];
        for (;;) {
          let bestRank = Infinity, at = -1;
          for (let i = 0; i + 1 < symbols.length; i++) {
            const r = this.ranks.get(symbols[i] + "\u0000" + symbols[i + 1]);
            if (r !== undefined && r < bestRank) { bestRank = r; at = i; }
          }
          if (at < 0) break;
          const [a, b] = this.merges[bestRank];
          symbols = mergePair(symbols, a, b);
        }
        pieces = symbols;
        this.cache.set(w, pieces);
      }
      out.push(...pieces);
    }
    return out;
  }

  /** Joins tokens back into text (word ends become spaces). */
  detokenize(tokens: string[]): string {
    return tokens.join("").split(END).join(" ").trim();
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, numMerges: this.numMerges, lowercase: this.lowercase, merges: this.merges, vocabulary: this.vocabulary.toJSON() };
  }

  static fromJSON(json: Record<string, unknown>): BpeTokenizer {
    const t = new BpeTokenizer(json.numMerges as number, json.lowercase as boolean);
    t.merges = json.merges as [string, string][];
    t.index();
    t.vocabulary = Vocabulary.fromJSON(json.vocabulary as { tokens: string[] });
    return t;
  }
}

function mergePair(symbols: string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) { out.push(a + b); i++; }
    else out.push(symbols[i]);
  }
  return out;
}

/**
 * Rebuilds a tokeniser from `toJSON()` output or a file written by `save()`.
 *
 * @example
 * ```ts
 * const tok = lepton.data.text.loadTokenizer("tokenizer.json");
 * ```
 */
export function loadTokenizer(source: string | Record<string, unknown>): Tokenizer {
  let json: Record<string, unknown>;
  if (typeof source === "string") {
    if (!fs.existsSync(source)) throw new LeptonError("data:fileNotFound", { path: source });
    json = JSON.parse(fs.readFileSync(source, "utf8")) as Record<string, unknown>;
  } else json = source;
  const vocab = Vocabulary.fromJSON(json.vocabulary as { tokens: string[] });
  switch (json.kind) {
    case "char": { const t = new CharTokenizer(json.unit as "grapheme", json.lowercase as boolean); t.vocabulary = vocab; return t; }
    case "char-ngram": { const t = new CharNgramTokenizer(json.n as [number, number], json.lowercase as boolean); t.vocabulary = vocab; return t; }
    case "bpe": return BpeTokenizer.fromJSON(json);
    default: throw new LeptonError("data:unknownTokenizer", { kind: String(json.kind) });
  }
}
