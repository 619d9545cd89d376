/**
 * Comms in both directions (comm_open, comm_msg, comm_close, comm_info), the channel widgets use.
 * Cells register targets with `comms.registerTarget(name, handler)` and open comms to the
 * frontend with `comms.open(target, data)`.
 */
import { randomUUID } from "node:crypto";
import { t } from "../../src/i18n/index";

export type CommSend = (msgType: "comm_open" | "comm_msg" | "comm_close", content: Record<string, unknown>) => void;

export class Comm {
  private readonly messageHandlers: ((data: unknown, buffers: Buffer[]) => void)[] = [];
  private readonly closeHandlers: ((data: unknown) => void)[] = [];
  closed = false;
  constructor(readonly id: string, readonly targetName: string, private readonly sendRaw: CommSend, private readonly forget: (id: string) => void) {}

  /** Sends data to the frontend side of this comm. */
  send(data: unknown): void {
    if (this.closed) throw new Error(t("kernel:commClosed", { id: this.id }));
    this.sendRaw("comm_msg", { comm_id: this.id, data });
  }

  /** Closes the comm on both sides. */
  close(data: unknown = {}): void {
    if (this.closed) return;
    this.sendRaw("comm_close", { comm_id: this.id, data });
    this.closeLocal(data);
  }

  onMessage(handler: (data: unknown, buffers: Buffer[]) => void): this {
    this.messageHandlers.push(handler);
    return this;
  }

  onClose(handler: (data: unknown) => void): this {
    this.closeHandlers.push(handler);
    return this;
  }

  /** @internal */
  deliver(data: unknown, buffers: Buffer[]): void {
    for (const h of this.messageHandlers) h(data, buffers);
  }

  /** @internal */
  closeLocal(data: unknown): void {
    this.closed = true;
    this.forget(this.id);
    for (const h of this.closeHandlers) h(data);
  }
}

export class CommManager {
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, (comm: Comm, data: unknown) => void>();
  constructor(private readonly send: CommSend, private readonly log: (s: string) => void) {}

  /** The `comms` global. */
  api() {
    return {
      registerTarget: (name: string, handler: (comm: Comm, data: unknown) => void) => { this.targets.set(name, handler); },
      unregisterTarget: (name: string) => { this.targets.delete(name); },
      open: (target: string, data: unknown = {}, metadata: Record<string, unknown> = {}) => {
        const comm = this.create(randomUUID(), target);
        this.send("comm_open", { comm_id: comm.id, target_name: target, data, metadata });
        return comm;
      },
      list: () => [...this.comms.values()],
    };
  }

  private create(id: string, target: string): Comm {
    const comm = new Comm(id, target, this.send, (cid) => this.comms.delete(cid));
    this.comms.set(id, comm);
    return comm;
  }

  handleOpen(content: { comm_id: string; target_name: string; data?: unknown }): void {
    const handler = this.targets.get(content.target_name);
    if (!handler) {
      this.log(t("kernel:commUnknownTarget", { target: content.target_name }));
      this.send("comm_close", { comm_id: content.comm_id, data: {} });
      return;
    }
    handler(this.create(content.comm_id, content.target_name), content.data);
  }

  handleMsg(content: { comm_id: string; data?: unknown }, buffers: Buffer[]): void {
    const comm = this.comms.get(content.comm_id);
    if (!comm) this.log(t("kernel:commUnknown", { id: content.comm_id }));
    else comm.deliver(content.data, buffers);
  }

  handleClose(content: { comm_id: string; data?: unknown }): void {
    this.comms.get(content.comm_id)?.closeLocal(content.data);
  }

  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values()) if (!targetName || c.targetName === targetName) out[c.id] = { target_name: c.targetName };
    return out;
  }
}
