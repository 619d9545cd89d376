/**
 * Turns a kernel's iopub messages into nbformat outputs, as nbclient does: consecutive stream
 * text is merged, `clear_output` (also with `wait`) and `update_display_data` are honoured, the
 * latter across cells through the display id.
 */
import type { WireMessage } from "./wire";

type Output = Record<string, any>;

export class NotebookOutputs {
  /** display_id -> every output that carries it (a display can be shown more than once). */
  private readonly displays = new Map<string, Output[]>();

  /** Outputs of one cell; feed it the cell's iopub messages with {@link CellOutputs.add}. */
  forCell(outputs: Output[]): CellOutputs {
    return new CellOutputs(outputs, this.displays);
  }
}

export class CellOutputs {
  private clearPending = false;

  constructor(readonly outputs: Output[], private readonly displays: Map<string, Output[]>) {}

  /** Adds one iopub message of the cell. */
  add(msg: WireMessage): void {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else this.outputs.length = 0;
        return;
      case "stream":
        this.flushClear();
        this.stream(String(c.name), String(c.text));
        return;
      case "display_data":
      case "execute_result":
      case "error": {
        this.flushClear();
        const out = toOutput(msg.header.msg_type, c);
        this.outputs.push(out);
        const id = c.transient?.display_id;
        if (typeof id === "string") this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
        return;
      }
      case "update_display_data": {
        const id = c.transient?.display_id;
        for (const out of (typeof id === "string" ? this.displays.get(id) : undefined) ?? []) {
          out.data = c.data ?? {};
          out.metadata = c.metadata ?? {};
        }
        return;
      }
      default:
        // execute_input, comm messages and the like are not outputs.
    }
  }

  private flushClear(): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
  }

  private stream(name: string, text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else this.outputs.push({ output_type: "stream", name, text });
  }
}

function toOutput(type: string, c: Record<string, any>): Output {
  if (type === "error") return { output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] };
  const out: Output = { output_type: type, data: c.data ?? {}, metadata: c.metadata ?? {} };
  if (type === "execute_result") out.execution_count = c.execution_count ?? null;
  return out;
}
