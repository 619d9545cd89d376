/** zoo:train's command line (`--only PART`, part options) and its log lines. */

/** The value after `--name` on the command line, if given. */
export function option(name: string): string | undefined {
  return process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
}
/** A comma-separated `--name a,b` option as a list. */
export function optionList(name: string): string[] | undefined {
  return option(name)?.split(",");
}
/** The one part to run (`--only NAME`), if named. */
export const only = option("--only");

/** One time-stamped line on stdout. */
export function log(msg: string): void {
  process.stdout.write(`[zoo:train ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
