"use strict";
/**
 * Preload (`NODE_OPTIONS=--require <this file>`) that records every outbound network attempt of a
 * Node process and its worker threads to the JSON-lines file named by LEPTON_NET_LOG:
 * TCP/IPC connects (net.Socket#connect, which http, https, tls and fetch/undici all end in), DNS
 * lookups and resolves, http(s).request/get, tls.connect, fetch (and undici's connect channel),
 * UDP sends, and child processes started (their own traffic is invisible here unless they are Node
 * processes, which inherit NODE_OPTIONS). With LEPTON_NET_BLOCK=1 a non-loopback attempt is
 * recorded and then failed, so a test never lets a packet out.
 *
 * Not seen: native code that opens sockets itself (ZeroMQ's libzmq, which the kernel uses for
 * Jupyter's loopback channels; TensorFlow's native bindings if installed) and non-Node child
 * processes (Chromium for static plot pictures runs with --disable-background-networking).
 */
const LOG = process.env.LEPTON_NET_LOG;
if (LOG) install(LOG, process.env.LEPTON_NET_BLOCK === "1");

function install(logFile, block) {
  const fs = require("node:fs");
  const net = require("node:net");
  const dns = require("node:dns");
  const http = require("node:http");
  const https = require("node:https");
  const tls = require("node:tls");
  const dgram = require("node:dgram");
  const childProcess = require("node:child_process");
  const diagnostics = require("node:diagnostics_channel");
  const { threadId } = require("node:worker_threads");

  function isLoopback(host) {
    // Node connects to localhost when no host is given.
    if (host === undefined || host === null || host === "") return true;
    let h = String(host).toLowerCase().replace(/^\[|\]$/g, "");
    if (h === "localhost" || h.endsWith(".localhost")) return true;
    if (h.startsWith("::ffff:")) h = h.slice(7);
    if (net.isIPv4(h)) return h.startsWith("127.");
    if (net.isIPv6(h)) return h === "::1" || h === "0:0:0:0:0:0:0:1";
    return false;
  }

  /** `local`: the destination is this machine (loopback, a Unix socket, a child process). */
  function record(kind, detail, local) {
    const entry = { kind, pid: process.pid, thread: threadId, local, ...detail };
    try { fs.appendFileSync(logFile, JSON.stringify(entry) + "\n"); } catch { /* never break the host process */ }
    return entry;
  }

  function blocked(entry) {
    const e = new Error(`outbound ${entry.kind} to ${entry.host ?? entry.url ?? "?"} blocked by record-connections.js`);
    e.code = "ECONNREFUSED";
    return e;
  }

  // TCP and IPC: every client socket goes through Socket#connect.
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    let options = args[0];
    if (Array.isArray(options)) options = options[0]; // net.connect passes its normalised [options, cb]
    else if (typeof options === "number" || (typeof options === "string" && /^\d+$/.test(options))) options = { port: options, host: typeof args[1] === "string" ? args[1] : undefined };
    else if (typeof options === "string") options = { path: options };
    options = options || {};
    let entry;
    // http's agent passes `path: null`; only a non-empty path means a Unix socket.
    if (typeof options.path === "string" && options.path !== "") entry = record("ipc", { path: options.path }, true);
    else entry = record("connect", { host: options.host ?? "localhost", port: Number(options.port) }, isLoopback(options.host));
    if (block && !entry.local) {
      process.nextTick(() => this.destroy(blocked(entry)));
      return this;
    }
    return connect.apply(this, args);
  };

  // DNS: a lookup of a public name is itself traffic to a resolver.
  const wrapLookup = (owner, name, promise) => {
    const original = owner[name];
    if (typeof original !== "function") return;
    owner[name] = function (hostname, ...rest) {
      const entry = record("dns", { host: String(hostname), via: name }, isLoopback(hostname));
      if (block && !entry.local) {
        const e = blocked(entry);
        e.code = "ENOTFOUND";
        if (promise) return Promise.reject(e);
        const cb = rest[rest.length - 1];
        if (typeof cb === "function") { process.nextTick(() => cb(e)); return {}; }
      }
      return original.call(this, hostname, ...rest);
    };
  };
  for (const name of Object.keys(dns)) if (name === "lookup" || name === "lookupService" || name.startsWith("resolve") || name === "reverse") wrapLookup(dns, name, false);
  for (const name of Object.keys(dns.promises)) if (name === "lookup" || name === "lookupService" || name.startsWith("resolve") || name === "reverse") wrapLookup(dns.promises, name, true);

  // http(s): the request's target (the socket underneath is recorded by connect too).
  const target = (args) => {
    const a = args[0];
    if (typeof a === "string" || a instanceof URL) { try { const u = new URL(String(a)); return u.hostname; } catch { return String(a); } }
    return (a && (a.hostname || a.host)) || "localhost";
  };
  for (const [mod, scheme] of [[http, "http"], [https, "https"]]) {
    for (const name of ["request", "get"]) {
      const original = mod[name];
      mod[name] = function (...args) {
        const host = target(args);
        record(scheme, { host }, isLoopback(host));
        return original.apply(this, args);
      };
    }
  }

  const tlsConnect = tls.connect;
  tls.connect = function (...args) {
    const o = typeof args[0] === "object" && args[0] !== null ? args[0] : { port: args[0], host: typeof args[1] === "string" ? args[1] : undefined };
    record("tls", { host: o.host ?? o.servername ?? "localhost", port: Number(o.port) }, isLoopback(o.host));
    return tlsConnect.apply(this, args);
  };

  // fetch: the URL asked for, and undici's own connect channel (seen even through a saved reference).
  if (typeof globalThis.fetch === "function") {
    const fetch = globalThis.fetch;
    globalThis.fetch = function (input, init) {
      let url;
      try { url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url); } catch { url = undefined; }
      const entry = record("fetch", { url: url ? url.origin : String(input), host: url ? url.hostname : undefined }, url ? isLoopback(url.hostname) : false);
      if (block && !entry.local) return Promise.reject(blocked(entry));
      return fetch.call(this, input, init);
    };
  }
  diagnostics.subscribe("undici:client:beforeConnect", (message) => {
    const p = (message && message.connectParams) || {};
    record("undici", { host: p.hostname ?? p.host, port: Number(p.port) || undefined }, isLoopback(p.hostname ?? p.host));
  });

  // UDP.
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function (msg, ...rest) {
    const numbers = rest.filter((v) => typeof v === "number");
    const address = rest.find((v) => typeof v === "string");
    if (numbers.length > 0) {
      const entry = record("udp", { host: address ?? "localhost", port: numbers.length >= 3 ? numbers[2] : numbers[0] }, isLoopback(address));
      if (block && !entry.local) {
        const cb = rest[rest.length - 1];
        if (typeof cb === "function") process.nextTick(() => cb(blocked(entry)));
        return;
      }
    }
    return send.call(this, msg, ...rest);
  };
  const udpConnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.connect = function (port, address, ...rest) {
    record("udp", { host: typeof address === "string" ? address : "localhost", port }, isLoopback(typeof address === "string" ? address : undefined));
    return udpConnect.call(this, port, address, ...rest);
  };

  // Child processes: named in the log, so what this file cannot see is at least listed.
  const spawn = childProcess.ChildProcess.prototype.spawn;
  childProcess.ChildProcess.prototype.spawn = function (options) {
    record("spawn", { file: options && options.file, args: options && Array.isArray(options.args) ? options.args.slice(0, 6) : [] }, true);
    return spawn.call(this, options);
  };
}
