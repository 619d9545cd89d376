/**
 * The library's view of whatever hosts it (the Lepton kernel, a plain Node script, the server).
 *
 * The library never imports the kernel. Instead the kernel installs a host object on
 * `globalThis[Symbol.for("lepton.host")]`; without one (plain Node) displays fall back to text on
 * stdout and there is no cell signal.
 */

/** A MIME bundle: mimetype -> data (string for text types, JSON for JSON types). */
export type MimeBundle = Record<string, unknown>;

/** The display protocol symbol shared with Deno's kernel: `obj[DISPLAY]()` returns a MIME bundle. */
export const DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * Node's `util.inspect` hook (`util.inspect.custom`), by its registered symbol: what `console.log`
 * and the text form of an object that holds this one show.
 */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/**
 * Gives an existing object (a plain result, a module's exports) its notebook display and its
 * one-line text form, non-enumerable, so its keys, spreading and JSON stay as they were.
 */
export function attachDisplay<T extends object>(target: T, display: () => MimeBundle, line: () => string): T {
  const hidden = (value: unknown) => ({ value, enumerable: false, configurable: true, writable: true });
  return Object.defineProperties(target, { [DISPLAY]: hidden(display), [INSPECT]: hidden(line) });
}

/** An object that knows how to display itself in a notebook. */
export interface Displayable {
  [DISPLAY](): MimeBundle;
}

export interface DisplayOptions {
  /** Give the output an id so it can be updated in place later. */
  displayId?: string;
  /** Replace the output that carries `displayId` instead of adding a new one. */
  update?: boolean;
  /** Extra metadata for the frontend (for example image sizes). */
  metadata?: Record<string, unknown>;
}

/** What a host provides. */
export interface Host {
  /** Sends a MIME bundle to the frontend of the cell that is running (or that started this async work). */
  display(bundle: MimeBundle, options?: DisplayOptions): void;
  /** Clears the current cell's output. */
  clearOutput(wait?: boolean): void;
  /** The AbortSignal of the cell that is running; aborted when the user interrupts the kernel. */
  signal(): AbortSignal | undefined;
  /** The host's name ("lepton-kernel"). */
  readonly name: string;
}

const HOST_KEY = Symbol.for("lepton.host");

/** The current host, or undefined when the library runs in a plain Node process. */
export function currentHost(): Host | undefined {
  return (globalThis as Record<symbol, unknown>)[HOST_KEY] as Host | undefined;
}

/** Installs a host (called by the kernel at start-up). */
export function installHost(host: Host | undefined): void {
  (globalThis as Record<symbol, unknown>)[HOST_KEY] = host;
}

/** True when running under a notebook kernel that can show rich output. */
export function isNotebook(): boolean {
  return currentHost() !== undefined;
}

/** The AbortSignal of the running cell, if any; long loops should check it at batch boundaries. */
export function cellSignal(): AbortSignal | undefined {
  return currentHost()?.signal();
}

/**
 * Shows a value: through the kernel when there is one, else as its text/plain form on stdout.
 *
 * @example
 * ```ts
 * lepton.show({ "text/html": "<b>hi</b>", "text/plain": "hi" });
 * ```
 */
export function show(bundleOrObject: MimeBundle | Displayable, options: DisplayOptions = {}): void {
  const bundle = toBundle(bundleOrObject);
  const host = currentHost();
  if (host) host.display(bundle, options);
  else if (!options.update) process.stdout.write(String(bundle["text/plain"] ?? "") + "\n");
}

/** Turns a displayable object or a bundle into a bundle. */
export function toBundle(value: MimeBundle | Displayable): MimeBundle {
  const fn = (value as Partial<Displayable>)[DISPLAY];
  return typeof fn === "function" ? fn.call(value) : (value as MimeBundle);
}

let displayCounter = 0;
/** A fresh display id for outputs that will be updated in place. */
export function newDisplayId(prefix = "lepton"): string {
  displayCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${displayCounter}`;
}
