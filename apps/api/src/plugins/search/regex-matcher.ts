// A user's regular expression runs in a worker thread, never on the server's event loop, and each
// value gets a time budget: a pattern that backtracks catastrophically (`(a+)+$` on a long SQL)
// is stopped by terminating the worker, that value is reported as timed out, and a fresh worker
// goes on with the rest. The worker says which value it is on through shared memory, so a batch
// of values costs one message each way and the main thread only polls a counter while it waits.
import { Worker } from 'node:worker_threads';

/** Where a match is in its value. */
export interface ValueMatch {
  index: number;
  length: number;
}

/** Per value: its matches (at most `maxMatches`), or `timedOut`. */
export type ValueOutcome = { matches: ValueMatch[] } | { timedOut: true };

export interface RegexMatcherOptions {
  /** How long one value may take. */
  budgetMs?: number;
  /** Matches reported per value at most. */
  maxMatches?: number;
}

// Plain CommonJS run with `eval: true`, so it works from the compiled server and from ts-jest alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const progress = new Int32Array(workerData.progress);
const re = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', ({ batch, values, maxMatches }) => {
  const out = [];
  for (let i = 0; i < values.length; i++) {
    Atomics.store(progress, 0, batch);
    Atomics.store(progress, 1, i);
    const hits = [];
    re.lastIndex = 0;
    let m;
    while (hits.length < maxMatches && (m = re.exec(values[i])) !== null) {
      hits.push([m.index, m[0].length]);
      if (m[0].length === 0) re.lastIndex++;
    }
    out.push(hits);
  }
  Atomics.store(progress, 1, -1);
  parentPort.postMessage({ batch, hits: out });
});
`;

export class RegexMatcher {
  readonly budgetMs: number;
  private readonly maxMatches: number;
  private readonly progress = new Int32Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;
  private batch = 0;
  /** Batches run one after the other on the one worker. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly source: string,
    private readonly flags: string,
    options: RegexMatcherOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? 250;
    this.maxMatches = options.maxMatches ?? 100;
  }

  /** Every value's outcome, in order. */
  match(values: string[]): Promise<ValueOutcome[]> {
    const run = this.queue.then(() => this.run(values));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private async run(values: string[]): Promise<ValueOutcome[]> {
    const outcomes = new Array<ValueOutcome>(values.length);
    await this.solve(values, 0, values.length, outcomes);
    return outcomes;
  }

  /**
   * Values [lo, hi): one attempt; when a value exceeds its budget it is marked timed out and the
   * values on either side are attempted again (those before it finished, but their matches were
   * lost with the terminated worker). Every step shrinks the range, so this ends.
   */
  private async solve(
    values: string[],
    lo: number,
    hi: number,
    out: ValueOutcome[],
  ): Promise<void> {
    if (lo >= hi) return;
    const attempt = await this.attempt(values.slice(lo, hi));
    if ('done' in attempt) {
      attempt.done.forEach((outcome, i) => (out[lo + i] = outcome));
      return;
    }
    const stuck = lo + attempt.stuckAt;
    out[stuck] = { timedOut: true };
    await this.solve(values, lo, stuck, out);
    await this.solve(values, stuck + 1, hi, out);
  }

  /** One batch on the worker: every outcome, or the index of the value that ran out of time. */
  private attempt(values: string[]): Promise<{ done: ValueOutcome[] } | { stuckAt: number }> {
    if (this.closed) return Promise.reject(new Error('the matcher is closed'));
    const worker = this.ensureWorker();
    const batch = ++this.batch;
    return new Promise((resolve, reject) => {
      let seen = -1;
      let since = performance.now();
      const settle = (): void => {
        clearInterval(watchdog);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (message: { batch: number; hits: [number, number][][] }): void => {
        if (message.batch !== batch) return;
        settle();
        resolve({
          done: message.hits.map((hits) => ({
            matches: hits.map(([index, length]) => ({ index, length })),
          })),
        });
      };
      const onError = (error: Error): void => {
        settle();
        this.worker = undefined;
        reject(error);
      };
      // The worker stores (batch, value index) before each value; a value whose index has not
      // moved for the budget is stuck: the worker is terminated, which stops the regex engine.
      const watchdog = setInterval(
        () => {
          const now = performance.now();
          const current =
            Atomics.load(this.progress, 0) === batch ? Atomics.load(this.progress, 1) : -1;
          if (current !== seen) {
            seen = current;
            since = now;
            return;
          }
          if (current < 0 || now - since < this.budgetMs) return;
          settle();
          this.worker = undefined;
          void worker.terminate();
          resolve({ stuckAt: current });
        },
        Math.max(5, Math.floor(this.budgetMs / 5)),
      );
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ batch, values, maxMatches: this.maxMatches });
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { source: this.source, flags: this.flags, progress: this.progress.buffer },
      });
      this.worker.unref();
    }
    return this.worker;
  }
}
