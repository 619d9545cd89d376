/**
 * Loads the modules a cell imports: CommonJS through `require` (resolved from the notebook's
 * folder), ESM-only packages through `import()`, local `.ts` files compiled on the fly, and
 * `tslab` answered by our compatible implementation so tslab notebooks run unchanged.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as TS from "typescript";

/** TypeScript loads on first use: the kernel answers kernel_info before paying for it. */
const ts = new Proxy({} as typeof TS, { get: (_t, key) => (require("typescript") as Record<string | symbol, unknown>)[key] });

type Mod = Record<string | symbol, unknown>;

let tsHookInstalled = false;

/** Lets `require` load `.ts` files (local helpers next to a notebook), transpiled to CommonJS. */
function installTsHook(): void {
  if (tsHookInstalled) return;
  tsHookInstalled = true;
  const exts = require.extensions as NodeJS.RequireExtensions;
  exts[".ts"] = (module, filename) => {
    const source = ts.sys.readFile(filename) ?? "";
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
    });
    (module as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
  };
}

export class ModuleLoader {
  readonly require: NodeJS.Require;
  constructor(private readonly cwd: string, private readonly builtins: Record<string, () => unknown>) {
    this.require = createRequire(path.join(cwd, "__notebook__.js"));
    installTsHook();
  }

  async importModule(spec: string): Promise<unknown> {
    const builtin = this.builtins[spec];
    if (builtin) return builtin();
    let resolved: string | undefined;
    try {
      resolved = this.require.resolve(spec);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // Packages exporting only an "import" condition cannot be resolved by require.
      if (code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && code !== "MODULE_NOT_FOUND") throw e;
      if (code === "MODULE_NOT_FOUND" && (spec.startsWith(".") || spec.startsWith("/"))) throw e;
      try {
        return await import(pathToFileURL(path.join(this.cwd, "node_modules", spec)).href);
      } catch {
        return await import(spec);
      }
    }
    if (resolved.endsWith(".mjs")) return import(pathToFileURL(resolved).href);
    try {
      return this.require(resolved);
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_REQUIRE_ESM") return import(pathToFileURL(resolved).href);
      throw e;
    }
  }

  /** `import x from "m"`: CommonJS modules without __esModule are their own default. */
  defaultOf(m: unknown): unknown {
    const mod = m as Mod;
    return mod && (mod.__esModule || isNamespace(mod)) ? mod.default : m;
  }

  /** `import * as m from "m"`: a CommonJS module also answers `.default`. */
  namespaceOf(m: unknown): unknown {
    const mod = m as Mod;
    if (!mod || (typeof mod !== "object" && typeof mod !== "function") || mod.__esModule || isNamespace(mod)) return m;
    return new Proxy(mod, { get: (target, key) => (key === "default" ? target : Reflect.get(target, key)) });
  }

  named(m: unknown, name: string): unknown {
    const mod = m as Mod;
    if (mod && name in mod) return mod[name];
    if (mod && !mod.__esModule && name === "default") return mod;
    return undefined;
  }
}

function isNamespace(m: object): boolean {
  return Object.prototype.toString.call(m) === "[object Module]";
}
