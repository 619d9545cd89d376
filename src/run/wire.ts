/**
 * `lepton run`'s client end of the Jupyter wire format, on top of the shared framing in
 * src/jupyter/wire.ts (the same code the kernel uses).
 */
import { decode, encode, newHeader, Signer, type Header, type Message } from "../jupyter/wire";

/** A message header as the protocol defines it. */
export type WireHeader = Header;

/** A decoded message, as far as a client that only runs cells needs it. */
export type WireMessage = Pick<Message, "header" | "parent_header" | "metadata" | "content">;

/** Signs and checks frames with the connection file's key (no key: unsigned, as the spec allows). */
export class MessageSigner {
  private readonly signer: Signer;
  constructor(key: string, scheme = "hmac-sha256") {
    this.signer = new Signer(scheme, key);
  }

  /** Frames for a new request of `msgType` in `session`; returns them with the new message's id. */
  request(msgType: string, session: string, content: unknown): { id: string; frames: (Buffer | string)[] } {
    const header = newHeader(msgType, session, "lepton-run");
    return { id: header.msg_id, frames: encode(this.signer, [], header, {}, content) };
  }

  /** Parses frames; undefined when they are malformed or their signature is wrong (they are dropped). */
  decode(frames: Buffer[]): WireMessage | undefined {
    try {
      return decode(frames, this.signer);
    } catch {
      return undefined;
    }
  }
}
