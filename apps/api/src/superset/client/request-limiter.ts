// At most N requests in flight to one Superset: callers beyond N wait in FIFO order.
export class RequestLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most requests that were ever in flight at once (for tests and the bench). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` never dips below the limit.
      if (next) next();
      else this.active--;
    }
  }
}
