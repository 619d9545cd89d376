/**
 * The Jupyter wire format (messaging protocol 5.3): framing, HMAC signing and verification.
 * One implementation for both ends: the kernel (kernel/protocol) and `lepton run`'s client (src/run).
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { t } from "../i18n/index";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [key: string]: unknown;
}

export interface Message<C = Record<string, any>> {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Why a message was refused; the kernel logs it and carries on. */
export class WireError extends Error {}

export class Signer {
  constructor(private readonly scheme: string, private readonly key: string) {}

  sign(parts: (Buffer | string)[]): string {
    if (!this.key) return "";
    const algorithm = this.scheme.replace(/^hmac-/, "");
    const hmac = createHmac(algorithm, this.key);
    for (const p of parts) hmac.update(p);
    return hmac.digest("hex");
  }

  /** Constant-time comparison, so signatures cannot be guessed byte by byte. */
  verify(signature: string, parts: Buffer[]): boolean {
    if (!this.key) return true;
    const expected = Buffer.from(this.sign(parts));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** Parses raw frames into a message, refusing bad signatures and malformed JSON. */
export function decode(frames: Buffer[], signer: Signer): Message {
  const idx = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (idx < 0) throw new WireError(t("kernel:wireNoDelimiter"));
  if (frames.length < idx + 6) throw new WireError(t("kernel:wireTooFewFrames"));
  const [sig, header, parent, metadata, content] = frames.slice(idx + 1, idx + 6);
  if (!signer.verify(sig.toString(), [header, parent, metadata, content])) {
    throw new WireError(t("kernel:wireBadSignature"));
  }
  try {
    const msg: Message = {
      identities: frames.slice(0, idx),
      header: JSON.parse(header.toString()),
      parent_header: JSON.parse(parent.toString()),
      metadata: JSON.parse(metadata.toString()),
      content: JSON.parse(content.toString()),
      buffers: frames.slice(idx + 6),
    };
    if (!msg.header || typeof msg.header.msg_type !== "string") throw new WireError(t("kernel:wireNoType"));
    return msg;
  } catch (e) {
    throw e instanceof WireError ? e : new WireError(t("kernel:wireBadJson", { message: (e as Error).message }));
  }
}

export function newHeader(msgType: string, session: string, username = "lepton"): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Builds frames for a message; `identities` route replies on ROUTER sockets, topics on PUB. */
export function encode(
  signer: Signer,
  identities: (Buffer | string)[],
  header: Header,
  parent: Partial<Header>,
  content: unknown,
  metadata: Record<string, unknown> = {},
  buffers: Buffer[] = [],
): (Buffer | string)[] {
  const parts = [JSON.stringify(header), JSON.stringify(parent ?? {}), JSON.stringify(metadata), JSON.stringify(content)];
  return [...identities, DELIMITER, signer.sign(parts), ...parts, ...buffers];
}
