/** Type declarations of the globals every cell sees (kept beside their implementation in kernel.ts). */
export const AMBIENT_DECLARATIONS = `
interface LeptonDisplayOptions {
  /** Give the output an id to update it later. */
  displayId?: string;
  /** Replace the output carrying displayId instead of adding one. */
  update?: boolean;
  metadata?: Record<string, unknown>;
}
interface LeptonDisplay {
  /**
   * Shows any value: objects with [Symbol.for("Jupyter.display")]() render as their MIME bundle.
   * @example
   * display(tf.tensor([1, 2, 3]));
   * display({ "text/html": "<b>bold</b>" } as any);
   */
  (value: unknown, options?: LeptonDisplayOptions): void;
  /** Shows HTML. @example display.html("<b>hi</b>") */
  html(html: string, options?: LeptonDisplayOptions): void;
  /** Shows Markdown. @example display.markdown("# Title") */
  markdown(markdown: string, options?: LeptonDisplayOptions): void;
  /** Shows an SVG image. @example display.svg('<svg width="10" height="10"/>') */
  svg(svg: string, options?: LeptonDisplayOptions): void;
  /** Shows PNG bytes. @example display.png(fs.readFileSync("plot.png")) */
  png(bytes: Uint8Array, options?: LeptonDisplayOptions): void;
  /** Shows JPEG bytes. */
  jpeg(bytes: Uint8Array, options?: LeptonDisplayOptions): void;
  /** Shows JSON as a tree. @example display.json({ a: 1 }) */
  json(value: unknown, options?: LeptonDisplayOptions): void;
  /** Shows plain text. */
  text(text: string, options?: LeptonDisplayOptions): void;
  /** Shows a MIME bundle as it is. @example display.bundle({ "text/plain": "hi" }) */
  bundle(bundle: Record<string, unknown>, options?: LeptonDisplayOptions): void;
  /** Clears the cell's output. */
  clear(options?: { wait?: boolean }): void;
}
/** Displays a value in the notebook; see its helpers display.html, display.markdown, ... */
declare const display: LeptonDisplay;
/**
 * Clears the output of the current cell.
 * @example
 * clearOutput({ wait: true });
 */
declare function clearOutput(options?: { wait?: boolean }): void;
/**
 * Asks the user for a line of text in the notebook (stdin).
 * @example
 * const name = await input("Your name: ");
 * const secret = await input("Token: ", { password: true });
 */
declare function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
interface LeptonComm {
  readonly id: string;
  readonly targetName: string;
  send(data: unknown): void;
  close(data?: unknown): void;
  onMessage(handler: (data: any, buffers: Uint8Array[]) => void): this;
  onClose(handler: (data: any) => void): this;
}
/** Comms with the frontend (the channel widgets use). */
declare const comms: {
  /** @example comms.registerTarget("echo", (comm) => comm.onMessage((d) => comm.send(d))); */
  registerTarget(name: string, handler: (comm: LeptonComm, data: any) => void): void;
  unregisterTarget(name: string): void;
  /** @example const c = comms.open("my_target", { hello: 1 }); */
  open(target: string, data?: unknown, metadata?: Record<string, unknown>): LeptonComm;
  list(): LeptonComm[];
};
/** The AbortSignal of the running cell: aborted when the kernel is interrupted. */
declare const cellSignal: AbortSignal;
`;
