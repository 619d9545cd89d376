/**
 * JupyterLab's own client path: `@jupyterlab/services` (what JupyterLab's frontend uses to talk
 * to a server) against Debian's jupyter_server, driving the Lepton kernel over the server's
 * WebSocket: a session, cells that keep state, execute results and display data, interrupts of an
 * awaiting cell and of a synchronous busy loop, a restart that clears state, and shutdown.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelAPI, KernelManager, ServerConnection, SessionManager, type Kernel, type KernelMessage, type Session } from "@jupyterlab/services";
import WebSocket from "ws";
import { startJupyterServer, type JupyterServer } from "./server";

interface Executed {
  reply: KernelMessage.IExecuteReplyMsg["content"];
  iopub: KernelMessage.IIOPubMessage[];
  ms: number;
}

/** Runs a cell through the kernel connection and collects its IOPub messages until the reply. */
async function execute(kernel: Kernel.IKernelConnection, code: string, onMessage?: (msg: KernelMessage.IIOPubMessage) => void): Promise<Executed> {
  const t0 = Date.now();
  const future = kernel.requestExecute({ code, stop_on_error: false });
  const iopub: KernelMessage.IIOPubMessage[] = [];
  future.onIOPub = (msg) => {
    iopub.push(msg);
    onMessage?.(msg);
  };
  const reply = await future.done;
  return { reply: reply.content, iopub, ms: Date.now() - t0 };
}

const ofType = (r: Executed, type: string) => r.iopub.filter((m) => m.header.msg_type === type);
const plainResult = (r: Executed) => String((ofType(r, "execute_result")[0]?.content as { data?: Record<string, unknown> })?.data?.["text/plain"]);

describe("@jupyterlab/services drives the Lepton kernel through jupyter_server", function () {
  this.timeout(120_000);
  let server: JupyterServer;
  let settings: ServerConnection.ISettings;
  let kernels: KernelManager;
  let sessions: SessionManager;
  let session: Session.ISessionConnection;
  let kernel: Kernel.IKernelConnection;

  const withLog = (message: string) => `${message}\n--- server log ---\n${server.log().slice(-5000)}`;

  before(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-lab-"));
    server = await startJupyterServer("jupyter_server", root);
    settings = ServerConnection.makeSettings({
      baseUrl: `${server.url}/`,
      wsUrl: server.url.replace(/^http/, "ws") + "/",
      token: server.token,
      appendToken: true,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      fetch,
      Request,
      Headers,
    });
    kernels = new KernelManager({ serverSettings: settings });
    sessions = new SessionManager({ kernelManager: kernels, serverSettings: settings });
    await sessions.ready;
  });

  after(async () => {
    sessions?.dispose();
    kernels?.dispose();
    await server?.stop();
  });

  it("starts a session on the lepton kernel over WebSocket", async () => {
    const t0 = Date.now();
    session = await sessions.startNew({ path: "lab-test.ipynb", name: "lab-test.ipynb", type: "notebook", kernel: { name: "lepton" } });
    kernel = session.kernel!;
    assert.ok(kernel, withLog("the session has a kernel"));
    assert.equal(kernel.name, "lepton");
    const info = await kernel.info;
    assert.equal(info.status, "ok");
    assert.equal(info.language_info.name, "typescript");
    assert.equal(info.protocol_version.split(".")[0], "5");
    assert.equal(kernel.connectionStatus, "connected");
    const specs = (await kernels.serverSettings.fetch(`${server.url}/api/kernelspecs?token=${server.token}`).then((r) => r.json())) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
    assert.equal(specs.kernelspecs.lepton.spec.display_name, "Lepton TypeScript");
    console.log(`      session and kernel ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it("executes cells that keep state, with execute_result, stream and display_data", async () => {
    const first = await execute(kernel, "let counter = 41;\nconsole.log('hello from lepton');");
    assert.equal(first.reply.status, "ok", JSON.stringify(first.reply));
    const stream = ofType(first, "stream").map((m) => (m.content as { text: string }).text).join("");
    assert.equal(stream, "hello from lepton\n");

    const second = await execute(kernel, "counter += 1;\ncounter");
    assert.equal(second.reply.status, "ok", JSON.stringify(second.reply));
    assert.equal(plainResult(second), "42", "state kept across cells");
    assert.equal(second.reply.execution_count, (first.reply as { execution_count: number }).execution_count + 1);

    const shown = await execute(kernel, "display.html('<b>lepton</b>');\n1 + 1");
    const display = ofType(shown, "display_data")[0]?.content as { data: Record<string, unknown> } | undefined;
    assert.equal(display?.data["text/html"], "<b>lepton</b>");
    assert.equal(plainResult(shown), "2");

    // The library's own rich display, as JupyterLab receives it: a tensor becomes a table.
    const tensor = await execute(kernel, "tf.tensor2d([[1, 2], [3, 4]])");
    const data = (ofType(tensor, "execute_result")[0]?.content as { data: Record<string, string> }).data;
    assert.equal(data["text/plain"], "Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]");
    assert.match(data["text/html"], /<table class="lepton-tensor">.*<td[^>]*>4<\/td>/s);

    const failed = await execute(kernel, "throw new Error('boom')");
    assert.equal(failed.reply.status, "error");
    assert.equal((failed.reply as { evalue: string }).evalue, "boom");
    assert.equal(ofType(failed, "error").length, 1);
  });

  it("interrupts a cell that awaits a long promise", async () => {
    // Interrupted once the cell says it is waiting, so the await itself is what gets cancelled.
    let interruptedAt = 0;
    const r = await execute(kernel, "console.log('waiting');\nawait new Promise((r) => setTimeout(r, 60000));\n'finished'", (msg) => {
      if (msg.header.msg_type === "stream" && !interruptedAt) {
        interruptedAt = Date.now();
        setTimeout(() => void kernel.interrupt(), 300);
      }
    });
    assert.ok(interruptedAt > 0, "the cell started waiting");
    assert.equal(r.reply.status, "error", withLog(`the interrupted cell ends with an error reply: ${JSON.stringify(r.reply)}`));
    assert.ok(r.ms < 20_000, `stopped after ${r.ms} ms, not after 60 s`);
    assert.equal(ofType(r, "execute_result").length, 0);
  });

  it("interrupts a synchronous busy loop and keeps every variable", async () => {
    // A blocked event loop sends nothing (not even execute_input), so the cell says it has entered
    // the loop through a file.
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lepton-lab-loop-")), "spinning");
    const run = execute(kernel, `counter = 7;\nlet spins = 0;\nrequire("fs").writeFileSync(${JSON.stringify(marker)}, "1");\nwhile (true) { spins++; }`);
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(marker)) {
      assert.ok(Date.now() < deadline, withLog("the busy loop never started"));
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await kernel.interrupt();
    const r = await run;
    assert.equal(r.reply.status, "error", withLog(`the interrupted loop ends with an error reply: ${JSON.stringify(r.reply)}`));
    assert.ok(Date.now() - t0 < 10_000, `stopped ${Date.now() - t0} ms after the interrupt`);
    const after = await execute(kernel, "[counter, spins > 0]");
    assert.equal(after.reply.status, "ok", JSON.stringify(after.reply));
    assert.equal(plainResult(after), "[ 7, true ]", "state survives the interrupt, the loop's own variable too");
  });

  it("restarts the kernel, clearing state, and shuts it down", async () => {
    const oldId = kernel.id;
    await kernel.restart();
    assert.equal(kernel.id, oldId, "a restart keeps the kernel id (same session)");
    await kernel.info;
    const gone = await execute(kernel, "counter");
    assert.equal(gone.reply.status, "error", `counter is gone after the restart: ${JSON.stringify(gone.reply)}`);
    assert.match(JSON.stringify(gone.reply), /counter/);
    assert.equal(gone.reply.execution_count, 1, "execution counts start again");
    const fresh = await execute(kernel, "let counter = 1;\ncounter + 1");
    assert.equal(plainResult(fresh), "2");

    await session.shutdown();
    const running = await KernelAPI.listRunning(settings);
    assert.deepEqual(running.map((k) => k.id).filter((id) => id === oldId), [], "the kernel is gone from the server");
    assert.equal(kernel.isDisposed || kernel.status === "dead", true);
  });
});
