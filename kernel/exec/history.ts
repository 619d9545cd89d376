/** The input history (history_request: tail, range, search), kept per kernel session. */
export type HistoryEntry = [session: number, line: number, input: string | [string, string | null]];

export class History {
  private readonly entries: { line: number; input: string; output: string | null }[] = [];
  readonly session = 1;

  add(line: number, input: string, output: string | null): void {
    this.entries.push({ line, input, output });
  }

  query(req: { hist_access_type: string; output?: boolean; n?: number; start?: number; stop?: number; pattern?: string; unique?: boolean }): HistoryEntry[] {
    const fmt = (e: { line: number; input: string; output: string | null }): HistoryEntry =>
      [this.session, e.line, req.output ? [e.input, e.output] : e.input];
    let list = this.entries;
    if (req.hist_access_type === "tail") {
      list = list.slice(-Math.max(0, req.n ?? 10));
    } else if (req.hist_access_type === "range") {
      const start = req.start ?? 0;
      const stop = req.stop ?? Number.MAX_SAFE_INTEGER;
      list = list.filter((e) => e.line >= start && e.line < stop);
    } else if (req.hist_access_type === "search") {
      const glob = req.pattern ?? "*";
      const re = new RegExp("^" + glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "s");
      list = list.filter((e) => re.test(e.input));
      if (req.unique) {
        const seen = new Set<string>();
        list = list.filter((e) => !seen.has(e.input) && (seen.add(e.input), true));
      }
      if (req.n) list = list.slice(-req.n);
    } else {
      list = [];
    }
    return list.map(fmt);
  }
}
