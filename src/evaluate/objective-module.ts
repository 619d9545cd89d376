/**
 * Objectives that live in a module file, so that worker threads can load them: a function made
 * in a notebook cell cannot move to another thread, but a file can be required there again.
 */
import * as path from "node:path";
import { LeptonError } from "../i18n/index";

/** An objective exported by a module: `{ module: "./objective.ts", export: "objective" }`. */
export interface ObjectiveModule {
  /** Path of the module (relative paths are from the working directory). `.ts` files work too. */
  module: string;
  /** Name of the exported function. Default "objective" (then the default export). */
  export?: string;
}

/** The module's absolute path (relative paths are taken from the working directory). */
export function modulePath(spec: ObjectiveModule): string {
  return path.resolve(process.cwd(), spec.module);
}

/** Lets `require` load TypeScript (ts-node, transpile only) when nothing handles `.ts` yet. */
export function enableTypeScript(): void {
  const extensions = require.extensions as Record<string, unknown>;
  if (extensions[".ts"]) return;
  // CommonJS output whatever the module's tsconfig says: require() is how it is loaded here.
  (require("ts-node") as typeof import("ts-node")).register({
    transpileOnly: true,
    compilerOptions: { module: "commonjs", moduleResolution: "node" },
  });
}

/** Requires the module and returns its objective function. */
export function loadObjective<F extends (...args: never[]) => unknown>(spec: ObjectiveModule): F {
  const file = modulePath(spec);
  if (/\.(c|m)?tsx?$/.test(file)) enableTypeScript();
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (err) {
    throw new LeptonError("evaluate:objectiveModuleFailed", { module: file, message: err instanceof Error ? err.message : String(err) });
  }
  const name = spec.export ?? "objective";
  const fn = mod[name] ?? (spec.export === undefined ? mod.default : undefined);
  if (typeof fn !== "function") {
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === "function");
    throw new LeptonError("evaluate:objectiveNotExported", { module: file, name, exported: exported.join(", ") || "-" });
  }
  return fn as F;
}
