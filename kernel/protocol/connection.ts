/** Reads the connection file Jupyter hands to a kernel (ports, transport, signing key). */
import { t } from "../../src/i18n/index";
import { readFileSync } from "node:fs";

export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

export function readConnectionFile(path: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(path, "utf8")) as ConnectionInfo;
  for (const k of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"] as const) {
    if (typeof info[k] !== "number") throw new Error(t("kernel:connectionMissing", { path, key: k }));
  }
  info.transport ??= "tcp";
  info.signature_scheme ??= "hmac-sha256";
  info.key ??= "";
  return info;
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `${info.transport}://${info.ip}:${port}`;
}
