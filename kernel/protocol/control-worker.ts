/**
 * Heartbeat and control channel on their own thread, so that both answer while the main thread
 * is busy running a cell (a synchronous loop, a long training step). An interrupt_request is
 * turned into SIGINT for this process, which the executor handles at once (see exec/interrupt.ts).
 * Other control messages are handed to the main thread, which posts back the frames to send.
 */
import { t } from "../../src/i18n/index";
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection";
import { SerialSender } from "./sender";
import { decode, encode, newHeader, Signer, WireError } from "../../src/jupyter/wire";

interface Data { info: ConnectionInfo; session: string }

async function main(): Promise<void> {
  const { info, session } = workerData as Data;
  const signer = new Signer(info.signature_scheme, info.key);
  const hb = new zmq.Reply();
  const control = new zmq.Router();
  await hb.bind(endpoint(info, info.hb_port));
  await control.bind(endpoint(info, info.control_port));
  const controlSender = new SerialSender(control);

  parentPort!.on("message", (m: { send?: (Buffer | string)[]; close?: boolean }) => {
    if (m.send) void controlSender.send(m.send.map((f) => (typeof f === "string" ? f : Buffer.from(f))));
    if (m.close) {
      void controlSender.flush().then(() => { hb.close(); control.close(); });
    }
  });
  parentPort!.postMessage({ ready: true });

  void (async () => {
    for await (const frames of hb) await hb.send(frames as never);
  })().catch(() => undefined);

  for await (const frames of control) {
    let msg;
    try {
      msg = decode(frames as Buffer[], signer);
    } catch (e) {
      if (e instanceof WireError) { parentPort!.postMessage({ log: t("kernel:controlRefused", { reason: e.message }) }); continue; }
      throw e;
    }
    if (msg.header.msg_type === "interrupt_request") {
      process.kill(process.pid, "SIGINT");
      const reply = encode(signer, msg.identities, newHeader("interrupt_reply", session), msg.header, { status: "ok" });
      void controlSender.send(reply);
      continue;
    }
    parentPort!.postMessage({ frames });
  }
}

main().catch((e) => {
  parentPort?.postMessage({ log: t("kernel:controlFailed", { stack: (e as Error).stack }) });
});
