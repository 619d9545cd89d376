/**
 * A token <-> id vocabulary with reserved padding (id 0) and unknown (id 1) tokens; saves to and
 * loads from JSON so a trained tokeniser can be shipped with its model.
 */
import * as fs from "node:fs";
import { LeptonError } from "../../i18n/index";

export const PAD = "<pad>";
export const UNK = "<unk>";

export interface VocabularyJSON { tokens: string[] }

/**
 * @example
 * ```ts
 * const vocab = lepton.data.text.Vocabulary.fromCounts(counts, { maxSize: 5000, minCount: 2 });
 * vocab.id("猫"); vocab.token(7); vocab.save("vocab.json");
 * ```
 */
export class Vocabulary {
  readonly tokens: string[];
  private readonly index: Map<string, number>;

  constructor(tokens: string[]) {
    const rest = tokens.filter((t) => t !== PAD && t !== UNK);
    this.tokens = [PAD, UNK, ...rest];
    this.index = new Map(this.tokens.map((t, i) => [t, i]));
  }

  /** Most frequent tokens first (ties by token), at most `maxSize` including the two reserved. */
  static fromCounts(counts: Map<string, number>, options: { maxSize?: number; minCount?: number } = {}): Vocabulary {
    const sorted = [...counts.entries()].filter(([, c]) => c >= (options.minCount ?? 1))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([t]) => t);
    return new Vocabulary(sorted.slice(0, Math.max(0, (options.maxSize ?? Infinity) - 2)));
  }

  get size(): number { return this.tokens.length; }
  /** The id of `token`, or the unknown id (1). */
  id(token: string): number { return this.index.get(token) ?? 1; }
  has(token: string): boolean { return this.index.has(token); }
  token(id: number): string { return this.tokens[id] ?? UNK; }

  toJSON(): VocabularyJSON { return { tokens: this.tokens }; }
  static fromJSON(json: VocabularyJSON): Vocabulary { return new Vocabulary(json.tokens); }

  /** Writes the vocabulary as UTF-8 JSON. */
  save(file: string): void { fs.writeFileSync(file, JSON.stringify(this.toJSON()), "utf8"); }

  /** Reads a vocabulary written by `save`, naming the path when it is missing. */
  static load(file: string): Vocabulary {
    if (!fs.existsSync(file)) throw new LeptonError("data:fileNotFound", { path: file });
    return Vocabulary.fromJSON(JSON.parse(fs.readFileSync(file, "utf8")) as VocabularyJSON);
  }
}
