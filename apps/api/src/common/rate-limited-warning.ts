// A warning that could repeat at the rate of its cause (every failed write, every failed log call)
// goes out at most once per interval, so that a long outage leaves a few lines, not thousands.

/** Where the warning goes: a Nest Logger, or anything with its warn(). */
export interface WarningSink {
  warn(message: string): void;
}

export class RateLimitedWarning {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: WarningSink,
    private readonly intervalMs: number,
  ) {}

  /** Logs unless a warning went out less than intervalMs ago; a function is called only then. */
  warn(message: string | (() => string)): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.sink.warn(typeof message === 'function' ? message() : message);
  }
}
