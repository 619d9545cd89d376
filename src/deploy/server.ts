/**
 * `serve`: a model server on node:http speaking the TF Serving REST API and the KServe v2
 * protocol, with dynamic batching, Prometheus metrics, bearer-token auth, body and concurrency
 * limits, hot-swapping of new versions and graceful shutdown. It never blocks the notebook: it
 * returns a handle at once and runs on the event loop.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { LeptonError, t } from "../i18n/index";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import type { Bundle, BundleManifest } from "./bundle";
import { parseJsonObject, readBody, sendJson, sendText } from "./http-io";
import { ServerMetrics } from "./metrics";
import * as kserve from "./protocol-kserve";
import * as tfserving from "./protocol-tfserving";
import { provenance } from "./provenance";
import { readNumericBody } from "./numeric-body";
import { ModelRepository } from "./repository";
import { RequestError } from "./request-error";
import { inferTask, signatureOf } from "./signature";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to bind. Default "127.0.0.1" (this machine only); "0.0.0.0" exposes it. */
  host?: string;
  /** Model name for a single model (bundle folder, model folder or in-memory model). */
  name?: string;
  /** Require `Authorization: Bearer <token>` (health routes stay open for probes). */
  token?: string;
  /** Merge concurrent requests into one model call. Default true. */
  batching?: boolean;
  /**
   * Run an inference copy of each model: batch norms folded into the layer before them and ReLUs
   * fused, as inference converters do (checked against the model on random inputs; the model as
   * saved is used when they differ or nothing folds). Default true.
   */
  optimize?: boolean;
  /** Most rows per model call. Default 64. */
  maxBatch?: number;
  /** Longest a request waits for others to batch with when the model is idle. Default 0 (eager: batches form while the model is busy). */
  maxWaitMs?: number;
  /** Largest accepted body in bytes (413 beyond). Default 4 MiB. */
  bodyLimit?: number;
  /** Requests handled at once before answering 503. Default 256. */
  maxConcurrent?: number;
  /** How often to look for new version folders (ms); 0 turns it off. Default 1000. */
  pollMs?: number;
  /** How long `stop()` waits for in-flight requests. Default 10 s. */
  drainTimeoutMs?: number;
}

/** A running server. */
export interface ServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8501`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Names of the models served. */
  models(): string[];
  /** Looks for new versions now instead of waiting for the next poll. */
  refresh(): Promise<void>;
  /** Stops accepting requests, lets in-flight ones finish, frees the models. */
  stop(): Promise<void>;
  [DISPLAY](): MimeBundle;
}

const V1_GET = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15}))?(\/metadata)?$/;
const V1_POST = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15}))?:(predict|classify|regress)$/;
const V2_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/(\d{1,15}))?(?:\/(ready|infer))?$/;
const HEALTH = new Set(["/healthz", "/v2/health/live", "/v2/health/ready"]);

function tokenMatches(header: string | undefined, token: string): boolean {
  const want = Buffer.from(`Bearer ${token}`);
  const got = Buffer.from(header ?? "");
  return got.length === want.length && timingSafeEqual(got, want);
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RequestError(400, "deploy:badUrl");
  }
}

function manifestFor(model: tf.LayersModel, name: string): BundleManifest {
  return {
    format: "lepton-bundle",
    formatVersion: 1,
    name,
    version: 1,
    task: inferTask(model),
    signature: signatureOf(model),
    weights: { dtype: "float32", gzip: false },
    provenance: provenance({}),
  };
}

/**
 * Serves saved models over HTTP without blocking the notebook. `source` is a folder written by
 * `lepton.save` (a repository `dir/`, a model folder `dir/<name>/` or one version folder), a
 * bundle from `lepton.load`, or a model in memory. New version folders are picked up and swapped
 * in without dropping requests.
 *
 * Routes: TF Serving `GET /v1/models/{name}[/versions/{v}][/metadata]`,
 * `POST /v1/models/{name}[/versions/{v}]:predict|:classify|:regress`; KServe v2 `/v2/health/live|ready`,
 * `/v2/models/{name}[/versions/{v}][/ready]`, `POST /v2/models/{name}[/versions/{v}]/infer`;
 * `/healthz`, `/metrics` (Prometheus).
 *
 * @example
 * ```ts
 * const server = await lepton.serve("models", { port: 8501 });
 * const res = await fetch(`${server.url}/v1/models/iris:predict`, {
 *   method: "POST",
 *   body: JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] }),
 * });
 * (await res.json()).predictions; // [{ label: "setosa", probabilities: [...] }]
 * await server.stop();
 * ```
 */
export async function serve(source: string | tf.LayersModel | Bundle, options: ServeOptions = {}): Promise<ServerHandle> {
  const bodyLimit = options.bodyLimit ?? 4 * 1024 * 1024;
  const maxConcurrent = options.maxConcurrent ?? 256;
  const metrics = new ServerMetrics();
  const repo = new ModelRepository({
    name: options.name,
    pollMs: options.pollMs ?? 1000,
    batching: {
      enabled: options.batching ?? true,
      maxBatch: Math.max(1, options.maxBatch ?? 64),
      maxWaitMs: Math.max(0, options.maxWaitMs ?? 0),
      onBatch: (rows) => metrics.observeBatch(rows),
    },
    onVersion: (name, version) => metrics.versions.set(name, version),
    optimize: options.optimize ?? true,
  });
  if (typeof source === "string") await repo.openFolder(source);
  else if (source instanceof tf.LayersModel) await repo.openBundle({ model: source, manifest: manifestFor(source, options.name ?? "model"), preprocessing: undefined });
  else if (source && source.model instanceof tf.LayersModel && source.manifest) await repo.openBundle(source);
  else throw new LeptonError("deploy:badServeSource", { got: typeof source });

  let stopping = false;
  let active = 0;
  let drained: (() => void) | undefined;

  async function route(req: http.IncomingMessage, res: http.ServerResponse, path: string, info: { route: string; model: string }): Promise<void> {
    const method = req.method ?? "GET";
    const onlyGet = () => {
      if (method !== "GET" && method !== "HEAD") throw new RequestError(405, "deploy:methodNotAllowed", { method, allowed: "GET" });
    };
    const onlyPost = () => {
      if (method !== "POST") throw new RequestError(405, "deploy:methodNotAllowed", { method, allowed: "POST" });
    };
    const body = async () => parseJsonObject(await readBody(req, bodyLimit));
    const withModel = async <T>(name: string, version: string | undefined, fn: (served: Awaited<ReturnType<typeof repo.acquire>>) => Promise<T> | T): Promise<T> => {
      const served = await repo.acquire(name, version === undefined ? undefined : Number(version));
      try {
        res.setHeader("x-model-version", String(served.version));
        return await fn(served);
      } finally {
        served.release();
      }
    };

    if (path === "/metrics") {
      info.route = "metrics";
      onlyGet();
      return sendText(res, 200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    }
    if (path === "/v2") {
      info.route = "metadata";
      onlyGet();
      return sendJson(res, 200, kserve.serverMetadata(String(tf.version.tfjs)));
    }
    let m = V1_POST.exec(path);
    if (m) {
      info.route = m[3];
      const name = (info.model = decodeName(m[1]));
      onlyPost();
      repo.assertKnown(name); // 404 before reading a body for an unknown model (status() would list the folder)
      const raw = await readBody(req, bodyLimit);
      // Plain numeric rows skip JSON.parse (the hot path); everything else takes the general one.
      const numeric = m[3] === "predict" ? readNumericBody(raw) : undefined;
      const payload = numeric ? undefined : parseJsonObject(raw);
      const out = await withModel<unknown>(name, m[2], async (served) => {
        if (numeric) return (await tfserving.predictNumeric(served, numeric)) ?? tfserving.predict(served, parseJsonObject(raw));
        const verb = m![3];
        return verb === "predict" ? tfserving.predict(served, payload!) : verb === "classify" ? tfserving.classify(served, payload!) : tfserving.regress(served, payload!);
      });
      return sendJson(res, 200, out);
    }
    m = V1_GET.exec(path);
    if (m) {
      info.route = m[3] ? "metadata" : "status";
      const name = (info.model = decodeName(m[1]));
      onlyGet();
      if (!m[3]) return sendJson(res, 200, tfserving.modelStatus(repo, name, m[2] === undefined ? undefined : Number(m[2])));
      return sendJson(res, 200, await withModel(name, m[2], (served) => tfserving.modelMetadata(served, name)));
    }
    m = V2_MODEL.exec(path);
    if (m) {
      const name = (info.model = decodeName(m[1]));
      const what = m[3];
      info.route = what === "infer" ? "infer" : what === "ready" ? "ready" : "metadata";
      if (what === "infer") {
        onlyPost();
        repo.assertKnown(name);
        const payload = await body();
        return sendJson(res, 200, await withModel(name, m[2], (served) => kserve.infer(served, name, payload)));
      }
      onlyGet();
      if (what === "ready") {
        const ready = m[2] === undefined ? repo.ready(name) : repo.status(name).some((s) => s.version === Number(m![2]) && s.state === "AVAILABLE");
        if (!ready && m[2] !== undefined && !repo.status(name).some((s) => s.version === Number(m![2]))) {
          throw new RequestError(404, "deploy:unknownVersion", { name, version: m[2], versions: repo.status(name).map((s) => s.version).join(", ") });
        }
        return sendJson(res, ready ? 200 : 503, { name, ready });
      }
      return sendJson(res, 200, await withModel(name, m[2], (served) => kserve.modelMetadata(repo, served, name)));
    }
    throw new RequestError(404, "deploy:unknownRoute", { method, path });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const info = { route: "other", model: "" };
    metrics.inflight += 1;
    let counted = false;
    res.on("close", () => {
      metrics.inflight -= 1;
      metrics.observeRequest(info.route, info.model, res.statusCode, (performance.now() - started) / 1000);
      if (counted) active -= 1;
      if (stopping && metrics.inflight === 0) drained?.();
    });
    try {
      if (stopping) {
        res.setHeader("connection", "close");
        throw new RequestError(503, "deploy:shuttingDown");
      }
      let path: string;
      try {
        path = new URL(req.url ?? "/", "http://localhost").pathname;
      } catch {
        throw new RequestError(400, "deploy:badUrl");
      }
      if (HEALTH.has(path)) {
        info.route = "health";
        const ready = path !== "/v2/health/ready" || repo.ready();
        return sendJson(res, ready ? 200 : 503, path === "/healthz" ? { status: ready ? "ok" : "loading", models: repo.names() } : { ready, live: true });
      }
      if (options.token !== undefined && !tokenMatches(req.headers.authorization, options.token)) {
        res.setHeader("www-authenticate", 'Bearer realm="lepton"');
        throw new RequestError(401, "deploy:unauthorised");
      }
      if (active >= maxConcurrent) {
        res.setHeader("retry-after", "1");
        throw new RequestError(503, "deploy:tooBusy", { limit: maxConcurrent });
      }
      active += 1;
      counted = true;
      await route(req, res, path, info);
    } catch (e) {
      const status = e instanceof RequestError ? e.status : 500;
      const message = e instanceof LeptonError ? e.message : t("deploy:internalError");
      if (status === 413) res.setHeader("connection", "close");
      sendJson(res, status, { error: message });
      // A refused body may still be arriving: drop it instead of reading it.
      if (status === 413) res.on("finish", () => req.destroy());
    }
  }

  const server = http.createServer({ keepAlive: true }, (req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new LeptonError("deploy:listenFailed", { host, port: options.port ?? 0, reason: (e as Error).message }, { cause: e })));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    port,
    host,
    models: () => repo.names(),
    refresh: () => repo.refresh(),
    stop(): Promise<void> {
      stopped ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (metrics.inflight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => (drained = resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 10_000).unref()),
          ]);
        }
        server.closeAllConnections();
        await closed;
        await repo.close();
      })();
      return stopped;
    },
    [DISPLAY](): MimeBundle {
      const models = repo.names().join(", ");
      return {
        "text/plain": t("deploy:serving", { models, url }),
        "text/html": `<div>${t("deploy:serving", { models, url: `<a href="${url}/v1/models/${encodeURIComponent(repo.names()[0] ?? "")}" target="_blank">${url}</a>` })}</div>`,
      };
    },
  };
}
