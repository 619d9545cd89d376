/** Server metrics in the Prometheus text exposition format (version 0.0.4). */

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) this.counts[i] += 1;
  }
  lines(name: string, labels: Record<string, string>): string[] {
    const out = this.buckets.map((b, i) => `${name}_bucket${labelText({ ...labels, le: String(b) })} ${this.counts[i]}`);
    out.push(`${name}_bucket${labelText({ ...labels, le: "+Inf" })} ${this.count}`);
    out.push(`${name}_sum${labelText(labels)} ${this.sum}`);
    out.push(`${name}_count${labelText(labels)} ${this.count}`);
    return out;
  }
}

/** Counters and histograms of one server. */
export class ServerMetrics {
  private requests = new Map<string, { labels: Record<string, string>; value: number }>();
  private errors = new Map<string, { labels: Record<string, string>; value: number }>();
  private latency = new Map<string, { labels: Record<string, string>; hist: Histogram }>();
  private batches = new Histogram(BATCH_BUCKETS);
  /** Requests being handled now. */
  inflight = 0;
  /** Served version per model. */
  readonly versions = new Map<string, number>();

  /** Records one finished request. `model` is "" for routes without a model. */
  observeRequest(route: string, model: string, status: number, seconds: number): void {
    const labels = { route, model, code: String(status) };
    const key = JSON.stringify(labels);
    const entry = this.requests.get(key) ?? { labels, value: 0 };
    entry.value += 1;
    this.requests.set(key, entry);
    if (status >= 400) {
      const e = this.errors.get(key) ?? { labels, value: 0 };
      e.value += 1;
      this.errors.set(key, e);
    }
    const lkey = JSON.stringify({ route, model });
    const l = this.latency.get(lkey) ?? { labels: { route, model }, hist: new Histogram(LATENCY_BUCKETS) };
    l.hist.observe(seconds);
    this.latency.set(lkey, l);
  }

  /** Records the size (rows) of one model call. */
  observeBatch(rows: number): void {
    this.batches.observe(rows);
  }

  /** The Prometheus text page. */
  render(): string {
    const lines: string[] = [];
    lines.push("# HELP lepton_requests_total HTTP requests answered, by route, model and status code.", "# TYPE lepton_requests_total counter");
    for (const { labels, value } of this.requests.values()) lines.push(`lepton_requests_total${labelText(labels)} ${value}`);
    lines.push("# HELP lepton_request_errors_total HTTP requests answered with a 4xx or 5xx status.", "# TYPE lepton_request_errors_total counter");
    for (const { labels, value } of this.errors.values()) lines.push(`lepton_request_errors_total${labelText(labels)} ${value}`);
    lines.push("# HELP lepton_request_duration_seconds Time from request start to response end.", "# TYPE lepton_request_duration_seconds histogram");
    for (const { labels, hist } of this.latency.values()) lines.push(...hist.lines("lepton_request_duration_seconds", labels));
    lines.push("# HELP lepton_batch_size Rows per model call (dynamic batching merges concurrent requests).", "# TYPE lepton_batch_size histogram");
    lines.push(...this.batches.lines("lepton_batch_size", {}));
    lines.push("# HELP lepton_inflight_requests Requests being handled now.", "# TYPE lepton_inflight_requests gauge", `lepton_inflight_requests ${this.inflight}`);
    lines.push("# HELP lepton_model_version Version served by default, per model.", "# TYPE lepton_model_version gauge");
    for (const [model, v] of this.versions) lines.push(`lepton_model_version${labelText({ model })} ${v}`);
    return lines.join("\n") + "\n";
  }
}
