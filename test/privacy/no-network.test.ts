/**
 * No telemetry and no network: the quickstart notebook, run end to end on the Lepton kernel, opens
 * no outbound connection. Every Node process of the run (the kernel, its worker threads, Node
 * children) loads record-connections.js through NODE_OPTIONS, which logs each network attempt and
 * fails any that leaves the machine. Loopback is allowed: the notebook serves a model on 127.0.0.1.
 *
 * The hooks cannot see sockets opened in native code (ZeroMQ's libzmq carries Jupyter's channels
 * from C++) or by non-Node children (Chromium renders static plot pictures), so the same run is
 * also traced with strace: every connect/sendto/sendmsg system call of every process, whatever
 * opened it, must go to a loopback address or a Unix socket.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../support/kernel-client";
import { PYTHON, jupyterEnv, run } from "../support/jupyter";

const PRELOAD = path.join(__dirname, "record-connections.js");

interface Attempt { kind: string; pid: number; thread: number; local: boolean; host?: string; port?: number; url?: string; path?: string; file?: string }

function readLog(file: string): Attempt[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Attempt);
}

/**
 * A network destination named in one strace line (AF_INET / AF_INET6 only; Unix and netlink
 * sockets are local). `socket` is strace's -yy note on the descriptor ("TCP", "UDPv6", ...).
 */
interface Destination { pid: number; call: string; socket: string; address: string; port: number }

function straceDestinations(file: string): Destination[] {
  const out: Destination[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^(\d+)\s+(\w+)\(\d+(?:<(\w+):[^>]*>)?,.*?sa_family=AF_INET6?,\s*sin6?_port=htons\((\d+)\).*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6,\s*"([^"]+)")/.exec(line);
    if (m) out.push({ pid: Number(m[1]), call: m[2], socket: m[3] ?? "", port: Number(m[4]), address: m[5] ?? m[6] });
  }
  return out;
}

/**
 * Chromium's IPv6 reachability check: it connects a UDP socket to Google's public DNS address to
 * ask the kernel for a route and closes it. A UDP connect sends no datagram, so nothing leaves.
 */
function isRouteProbe(d: Destination): boolean {
  return d.call === "connect" && d.socket.startsWith("UDP") && d.port === 443 && (d.address === "2001:4860:4860::8888" || d.address === "8.8.8.8");
}

/** Loopback, or the unspecified address (which Linux connects to this host). */
function isLocalAddress(address: string): boolean {
  const a = address.replace(/^::ffff:/i, "");
  return a.startsWith("127.") || a === "::1" || a === "0.0.0.0" || a === "::";
}

function recordingEnv(base: NodeJS.ProcessEnv, log: string): NodeJS.ProcessEnv {
  return { ...base, NODE_OPTIONS: `${base.NODE_OPTIONS ?? ""} --require ${PRELOAD}`.trim(), LEPTON_NET_LOG: log, LEPTON_NET_BLOCK: "1" };
}

/** Every way a Node program reaches the network, aimed at documentation-only addresses (RFC 5737). */
const PROBE = `
const net = require("net"), http = require("http"), dns = require("dns"), dgram = require("dgram"), tls = require("tls");
const { Worker } = require("worker_threads");
const failed = (p) => p.then(() => "connected", (e) => e.code || e.message);
const onError = (emitter) => new Promise((r) => emitter.on("error", (e) => r(e.code)));
(async () => {
  const server = http.createServer((q, r) => r.end("ok")).listen(0, "127.0.0.1");
  await new Promise((r) => server.on("listening", r));
  const local = await (await fetch("http://127.0.0.1:" + server.address().port + "/")).text();
  const out = {
    local,
    fetch: await failed(fetch("http://192.0.2.1/")),
    net: await onError(net.connect(80, "192.0.2.1")),
    dns: await new Promise((r) => dns.lookup("example.invalid", (e) => r(e && e.code))),
    resolve: await failed(dns.promises.resolve4("example.com")),
    http: await onError(http.get("http://198.51.100.7/")),
    tls: await onError(tls.connect(443, "203.0.113.9")),
    udp: await new Promise((r) => { const u = dgram.createSocket("udp4"); u.send("x", 53, "192.0.2.53", (e) => { u.close(); r(e && e.code); }); }),
    worker: await new Promise((r) => new Worker('require("net").connect(9, "192.0.2.2").on("error", () => {})', { eval: true }).on("exit", () => r("exited"))),
  };
  server.close();
  process.stdout.write(JSON.stringify(out));
})();`;

describe("privacy: no outbound network from the library or the kernel", function () {
  this.timeout(600_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-net-")); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the recorder sees and stops every kind of attempt (fetch, net, dns, http, tls, udp, worker threads)", () => {
    const log = path.join(dir, "probe.jsonl");
    const r = spawnSync(process.execPath, ["-e", PROBE], { env: recordingEnv(process.env, log), encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    assert.equal(out.local, "ok", "loopback is allowed");
    for (const k of ["fetch", "net", "http", "tls", "udp"]) assert.equal(out[k], "ECONNREFUSED", `${k} was stopped`);
    assert.equal(out.dns, "ENOTFOUND");
    assert.equal(out.resolve, "ENOTFOUND");
    const outbound = readLog(log).filter((a) => !a.local);
    const seen = new Set(outbound.map((a) => `${a.kind} ${a.host}${a.thread ? " (worker)" : ""}`));
    for (const want of ["fetch 192.0.2.1", "connect 192.0.2.1", "dns example.invalid", "dns example.com", "http 198.51.100.7",
      "connect 198.51.100.7", "tls 203.0.113.9", "udp 192.0.2.53", "connect 192.0.2.2 (worker)"]) {
      assert.ok(seen.has(want), `${want} not recorded: ${[...seen].join("; ")}`);
    }
    assert.ok(readLog(log).some((a) => a.local && a.kind === "connect" && a.host === "127.0.0.1"), "loopback connects are recorded as local");
  });

  it("the strace reading tells traffic that leaves from loopback, Unix sockets and route probes", () => {
    const sample = path.join(dir, "sample.strace");
    fs.writeFileSync(sample, [
      '101 connect(19<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '102 connect(20<UDP:[219532]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>',
      '103 connect(18<UDPv6:[217579]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      '104 connect(21<TCPv6:[4243]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH',
      '105 connect(38<UNIX:[5151]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
      '106 sendto(22<UDP:[0.0.0.0:55147]>, "\\226", 39, 0, {sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("203.0.113.5")}, 16) = 39',
    ].join("\n"));
    const leaving = straceDestinations(sample).filter((d) => !isLocalAddress(d.address) && !isRouteProbe(d));
    assert.deepEqual(leaving.map((d) => `${d.pid} ${d.call} ${d.socket} ${d.address}:${d.port}`), [
      "102 connect UDP 10.255.255.53:53", "104 connect TCPv6 2001:4860:4860::8888:443", "106 sendto UDP 203.0.113.5:123",
    ]);
  });

  it("a full run of notebooks/00-quickstart.ipynb opens no outbound connection", async () => {
    const kernelMain = path.join(ROOT, "dist", "kernel", "main.js");
    assert.ok(fs.existsSync(kernelMain), "build the kernel first (npm run build)");
    const log = path.join(dir, "quickstart.jsonl");
    const notebook = path.join(ROOT, "notebooks", "00-quickstart.ipynb");
    const executed = path.join(dir, "00-quickstart.out.ipynb");
    const trace = path.join(dir, "quickstart.strace");
    assert.equal(spawnSync("strace", ["-V"]).status, 0, "strace is needed to see native sockets: apt-get install -y strace");
    const r = await run("strace", ["-f", "-yy", "--seccomp-bpf", "-qq", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-e", "signal=none", "-o", trace,
      PYTHON, path.join(ROOT, "test", "notebooks", "run_notebook.py"), notebook, executed, "300"], { env: recordingEnv(jupyterEnv(), log) });
    assert.equal(r.code, 0, `the notebook failed (a blocked connection would show here):\n${r.stderr.slice(-4000)}`);
    const attempts = readLog(log);
    // The hooks were live in the kernel: they saw the notebook's own loopback call to its model server.
    const kernelPids = new Set(attempts.filter((a) => a.kind === "fetch").map((a) => a.pid));
    assert.ok(attempts.some((a) => a.kind === "fetch" && a.local && a.host === "127.0.0.1"), `no loopback fetch recorded: ${JSON.stringify(attempts.slice(0, 20))}`);
    assert.equal(kernelPids.size, 1, "one kernel process made the fetch");
    const outbound = attempts.filter((a) => !a.local);
    assert.deepEqual(outbound, [], `outbound attempts: ${JSON.stringify(outbound, null, 1)}`);

    // The system-call view: it saw the kernel's call to the model server and the ZeroMQ channels
    // (Python's jupyter_client connecting to the kernel), and nothing that leaves the machine.
    const destinations = straceDestinations(trace);
    const serverPort = attempts.find((a) => a.kind === "connect" && a.host === "127.0.0.1")?.port;
    assert.ok(destinations.some((d) => d.call === "connect" && d.port === serverPort && isLocalAddress(d.address)), `strace did not see the model server call on port ${serverPort}`);
    const ports = new Set(destinations.filter((d) => d.call === "connect" && isLocalAddress(d.address)).map((d) => d.port));
    assert.ok(ports.size >= 5, `strace saw only ${ports.size} loopback ports: the ZeroMQ channels are missing`);
    const leaving = destinations.filter((d) => !isLocalAddress(d.address) && !isRouteProbe(d));
    assert.deepEqual(leaving, [], `network traffic leaving the machine: ${JSON.stringify(leaving, null, 1)}`);
  });
});
