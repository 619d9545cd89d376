/** Reading request bodies with a size limit and writing JSON answers, on plain node:http. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { RequestError } from "./request-error";

/** Reads the whole body; 413 as soon as it passes `limit` bytes (declared or actual). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new RequestError(413, "deploy:bodyTooLarge", { limit }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(new RequestError(413, "deploy:bodyTooLarge", { limit }));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => finish());
    req.on("error", (e) => finish(e));
    req.on("aborted", () => finish(new RequestError(400, "deploy:requestAborted")));
  });
}

/** Parses a JSON object body; 400 saying what was wrong otherwise. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new RequestError(400, "deploy:emptyBody");
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new RequestError(400, "deploy:badJson", { reason: e instanceof Error ? e.message : String(e) });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RequestError(400, "deploy:bodyNotObject", { got: value === null ? "null" : Array.isArray(value) ? "array" : typeof value });
  }
  return value as Record<string, unknown>;
}

/** Sends a JSON answer (unless the socket is gone). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends a text answer. */
export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
