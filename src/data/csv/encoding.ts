/**
 * Text encodings of CSV files. The parser reads UTF-8 bytes; a file in another encoding (GBK from
 * a Chinese Excel, Shift_JIS, Latin-1, UTF-16 from Excel's "Unicode text") is transcoded chunk by
 * chunk, and a file that claims nothing but is not valid UTF-8 is refused: decoding it as UTF-8
 * would silently turn its characters into U+FFFD.
 */
import { isUtf8 } from "node:buffer";
import { LeptonError } from "../../i18n/index";

/** Turns raw file bytes into UTF-8 bytes for the parser (or checks that they already are). */
export interface Transcoder {
  /** UTF-8 bytes for `chunk` (`final`: the last chunk). May keep an incomplete character back. */
  push(chunk: Buffer, final: boolean): Buffer;
}

const UTF8_NAMES = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);

/**
 * The transcoder for an `encoding` option (undefined: UTF-8, or UTF-16 when the first bytes are
 * its byte-order mark). Returns undefined when the bytes can go to the parser as they are.
 */
export function transcoderFor(encoding: string | undefined, firstBytes: Buffer): Transcoder | undefined {
  let label = encoding?.trim().toLowerCase();
  if (label === undefined) {
    if (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) label = "utf-16le";
    else if (firstBytes[0] === 0xfe && firstBytes[1] === 0xff) label = "utf-16be";
    else return undefined;
  }
  if (UTF8_NAMES.has(label)) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch (e) {
    throw new LeptonError("data:badEncoding", { value: String(encoding) }, { cause: e });
  }
  return {
    push(chunk, final) {
      try {
        return Buffer.from(decoder.decode(chunk, { stream: !final }), "utf8");
      } catch (e) {
        throw new LeptonError("data:notInEncoding", { encoding: label! }, { cause: e });
      }
    },
  };
}

/** Bytes at the end of `buf` that start a UTF-8 character the next chunk completes. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Throws `data:notUtf8` when `buf` (bytes that will be parsed as UTF-8) is not valid UTF-8;
 * `lineOf(offset)` names the line of a byte offset for the message. A character cut by the end
 * of a chunk is left for the next check unless `final`.
 */
export function checkUtf8(buf: Buffer, final: boolean, path: string, lineOf: (offset: number) => number): void {
  const end = final ? buf.length : buf.length - incompleteTail(buf);
  if (isUtf8(buf.subarray(0, end))) return;
  // Slow path, errors only: find the first bad byte for the line number.
  let lo = 0, hi = end;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (isUtf8(buf.subarray(0, mid - incompleteTail(buf.subarray(0, mid))))) lo = mid; else hi = mid;
  }
  throw new LeptonError("data:notUtf8", { path, line: lineOf(lo) });
}
