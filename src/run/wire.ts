/**
 * The client side of the Jupyter wire format (messaging protocol 5.3): HMAC-signed multipart
 * frames. The library never imports the kernel, so `lepton run` frames its own messages.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID } from "node:crypto";

const DELIMITER = "<IDS|MSG>";

/** A message header as the protocol defines it. */
export interface WireHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message (identities and buffers are not needed by a client that only runs cells). */
export interface WireMessage {
  header: WireHeader;
  parent_header: Partial<WireHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, any>;
}

/** Signs and checks frames with the connection file's key (no key: unsigned, as the spec allows). */
export class MessageSigner {
  constructor(private readonly key: string, private readonly scheme = "hmac-sha256") {}

  signature(parts: (Buffer | string)[]): string {
    if (!this.key) return "";
    const hmac = createHmac(this.scheme.replace(/^hmac-/, ""), this.key);
    for (const p of parts) hmac.update(p);
    return hmac.digest("hex");
  }

  /** Frames for a new request of `msgType` in `session`; returns them with the new message's id. */
  request(msgType: string, session: string, content: unknown): { id: string; frames: string[] } {
    const header: WireHeader = {
      msg_id: randomUUID(), session, username: "lepton-run", date: new Date().toISOString(), msg_type: msgType, version: "5.3",
    };
    const parts = [JSON.stringify(header), "{}", "{}", JSON.stringify(content)];
    return { id: header.msg_id, frames: [DELIMITER, this.signature(parts), ...parts] };
  }

  /** Parses frames; undefined when they are malformed or their signature is wrong (they are dropped). */
  decode(frames: Buffer[]): WireMessage | undefined {
    const at = frames.findIndex((f) => f.toString() === DELIMITER);
    if (at < 0 || frames.length < at + 6) return undefined;
    const [sig, header, parent, metadata, content] = frames.slice(at + 1, at + 6);
    if (this.key && sig.toString() !== this.signature([header, parent, metadata, content])) return undefined;
    try {
      return {
        header: JSON.parse(header.toString()),
        parent_header: JSON.parse(parent.toString()),
        metadata: JSON.parse(metadata.toString()),
        content: JSON.parse(content.toString()),
      };
    } catch {
      return undefined;
    }
  }
}
