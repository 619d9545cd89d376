/**
 * Command-line entry points (wired by src/cli.ts): `lepton serve <dir> [options]` and
 * `lepton deploy docker <dir> [options]`.
 */
import { LeptonError, t } from "../i18n/index";
import { chooseBackend } from "./backend-choice";
import { writeDockerFiles } from "./dockerfile";
import { serve, type ServeOptions } from "./server";

type Flag = { key: string; kind: "number" | "string" | "boolean" };

const SERVE_FLAGS: Record<string, Flag> = {
  "--port": { key: "port", kind: "number" },
  "--host": { key: "host", kind: "string" },
  "--name": { key: "name", kind: "string" },
  "--token": { key: "token", kind: "string" },
  "--max-batch": { key: "maxBatch", kind: "number" },
  "--max-wait-ms": { key: "maxWaitMs", kind: "number" },
  "--body-limit": { key: "bodyLimit", kind: "number" },
  "--max-concurrent": { key: "maxConcurrent", kind: "number" },
  "--poll-ms": { key: "pollMs", kind: "number" },
  "--no-batching": { key: "batching", kind: "boolean" },
  "--no-optimize": { key: "optimize", kind: "boolean" },
};

const DOCKER_FLAGS: Record<string, Flag> = {
  "--port": { key: "port", kind: "number" },
  "--name": { key: "name", kind: "string" },
  "--package": { key: "packageSpec", kind: "string" },
  "--node-image": { key: "nodeImage", kind: "string" },
};

/** Parses `<dir> --flag value ...` (also `--flag=value`); throws a LeptonError naming the problem. */
export function parseArgs(argv: string[], flags: Record<string, Flag>, usage: string): { dir: string; options: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      if (dir !== undefined) throw new LeptonError("deploy:cliExtraArgument", { arg, usage });
      dir = arg;
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = flags[name];
    if (!flag) throw new LeptonError("deploy:cliBadOption", { option: name, options: Object.keys(flags).join(" "), usage });
    if (flag.kind === "boolean") {
      options[flag.key] = false; // boolean flags are all --no-...
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new LeptonError("deploy:cliMissingValue", { option: name, usage });
    if (flag.kind === "number") {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new LeptonError("deploy:cliBadNumber", { option: name, value });
      options[flag.key] = n;
    } else options[flag.key] = value;
  }
  if (dir === undefined) throw new LeptonError("deploy:cliMissingDir", { usage });
  return { dir, options };
}

/**
 * `lepton serve <dir>`: serves a saved model folder until SIGINT/SIGTERM, then drains and exits.
 * The bearer token can come from `--token` or the LEPTON_TOKEN environment variable.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const { dir, options } = parseArgs(argv, SERVE_FLAGS, t("deploy:serveUsage"));
  const serveOptions = options as ServeOptions;
  serveOptions.token ??= process.env.LEPTON_TOKEN || undefined;
  serveOptions.port ??= Number(process.env.PORT) || 8501;
  const { backend } = await chooseBackend();
  const server = await serve(dir, serveOptions);
  console.log(t("deploy:serving", { models: server.models().join(", "), url: server.url }));
  console.log(t("deploy:cliServingDetails", { backend, batching: t(serveOptions.batching === false ? "deploy:cliBatchingOff" : "deploy:cliBatchingOn"),
    auth: t(serveOptions.token ? "deploy:cliAuthToken" : "deploy:cliAuthNone") }));
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      console.log(t("deploy:cliStopping"));
      void server.stop().then(resolve);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  return 0;
}

/** `lepton deploy docker <dir>`: writes a Dockerfile and .dockerignore that serve the bundle. */
export async function deployDockerCommand(argv: string[]): Promise<number> {
  const args = argv[0] === "docker" ? argv.slice(1) : argv;
  const { dir, options } = parseArgs(args, DOCKER_FLAGS, t("deploy:dockerUsage"));
  const written = writeDockerFiles(dir, options);
  console.log(t("deploy:dockerWritten", { dockerfile: written.dockerfile, dockerignore: written.dockerignore, dir }));
  return 0;
}
