/**
 * Dynamic batching: rows from concurrent requests are merged into one model call (up to
 * `maxBatch` rows, waiting at most `maxWaitMs` for company). One model call runs at a time; the
 * requests that arrive meanwhile form the next batch, so under load batches fill by themselves.
 */

/** What the batcher calls: `n` rows back to back in, flat outputs and their width per row out. */
export type BatchFn = (data: Float32Array, n: number) => Promise<{ values: Float32Array; width: number }>;

/** Options of {@link DynamicBatcher}. */
export interface BatcherOptions {
  /** Merge requests (true) or run each on its own (false). */
  enabled: boolean;
  /** Most rows per model call. */
  maxBatch: number;
  /**
   * Longest a request waits for others when the model is idle. 0 (eager): it runs at once with
   * whatever else arrived in the same event-loop turn; under load batches still fill, because
   * requests queue while the previous batch runs.
   */
  maxWaitMs: number;
  /** Told the rows of every model call (for metrics). */
  onBatch?: (rows: number) => void;
}

interface Job {
  data: Float32Array;
  n: number;
  resolve: (out: { values: Float32Array; width: number }) => void;
  reject: (e: unknown) => void;
}

/** Queues requests for one model and runs them in merged batches. */
export class DynamicBatcher {
  private queue: Job[] = [];
  private queuedRows = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly fn: BatchFn, private readonly options: BatcherOptions) {}

  /** Queues `n` rows; resolves with their outputs. */
  submit(data: Float32Array, n: number): Promise<{ values: Float32Array; width: number }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ data, n, resolve, reject });
      this.queuedRows += n;
      this.schedule();
    });
  }

  /** Rows waiting or running. */
  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    if (!this.options.enabled || this.queuedRows >= this.options.maxBatch) {
      this.clearTimer();
      void this.runOne();
    } else if (this.options.maxWaitMs <= 0) {
      // Eager: run at the end of this turn of the event loop, with every request parsed in it;
      // while that batch runs, the next one fills by itself. (Running at once when no other
      // request has started yet was tried: requests the kernel has already received but node has
      // not read yet are invisible then, and under load every batch had one row.)
      if (!this.immediate) this.immediate = setImmediate(() => {
        this.immediate = undefined;
        void this.runOne();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.runOne();
      }, this.options.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private take(): Job[] {
    if (!this.options.enabled) return this.queue.splice(0, 1);
    const jobs: Job[] = [];
    let rows = 0;
    while (this.queue.length && (jobs.length === 0 || rows + this.queue[0].n <= this.options.maxBatch)) {
      const job = this.queue.shift() as Job;
      rows += job.n;
      jobs.push(job);
    }
    return jobs;
  }

  private async runOne(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const jobs = this.take();
    const rows = jobs.reduce((s, j) => s + j.n, 0);
    this.queuedRows -= rows;
    try {
      const data = jobs.length === 1 ? jobs[0].data : new Float32Array(jobs.reduce((s, j) => s + j.data.length, 0));
      if (jobs.length > 1) {
        let offset = 0;
        for (const j of jobs) {
          data.set(j.data, offset);
          offset += j.data.length;
        }
      }
      this.options.onBatch?.(rows);
      const { values, width } = await this.fn(data, rows);
      let row = 0;
      for (const j of jobs) {
        j.resolve({ values: values.subarray(row * width, (row + j.n) * width), width });
        row += j.n;
      }
    } catch (e) {
      for (const j of jobs) j.reject(e);
    } finally {
      this.running = false;
    }
    // Requests that arrived during the call have already waited: run them now.
    if (this.queue.length) {
      this.clearTimer();
      setImmediate(() => void this.runOne());
    } else {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
