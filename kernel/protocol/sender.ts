/**
 * zeromq.js allows one send in flight per socket; this queues sends so that messages keep their
 * order and concurrent producers (stdout, displays, replies) never collide.
 */
import { t } from "../../src/i18n/index";
import type * as zmq from "zeromq";

export class SerialSender {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Router | zmq.Publisher | zmq.Reply) {}

  send(frames: (Buffer | string)[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames as never)).catch((e) => {
      process.stderr.write(`${t("kernel:log", { text: t("kernel:sendFailed", { message: (e as Error).message }) })}\n`);
    });
    this.tail = next;
    return next;
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ. */
  flush(): Promise<void> {
    return this.tail;
  }
}
