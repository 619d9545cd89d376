/**
 * The TypeScript compiler and ZeroMQ, loaded on first use: `lepton` re-exports this module, and
 * plain scripts and the model server should not pay for either (TypeScript alone costs ~200 ms).
 */
import type * as TypeScript from "typescript";
import type * as ZeroMQ from "zeromq";

export function typescript(): typeof TypeScript {
  return require("typescript") as typeof TypeScript;
}

export function zeromq(): typeof ZeroMQ {
  return require("zeromq") as typeof ZeroMQ;
}
