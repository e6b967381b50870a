/**
 * Passes on at most one value per `intervalMs`, always the latest, and never loses the last one:
 * progress can be reported thousands of times a second, the database and the socket get a few.
 */
export class ProgressThrottle {
  private latest: number | null = null;
  private sentAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: number) => void,
  ) {}

  push(value: number): void {
    this.latest = value;
    if (this.timer) return;
    const wait = this.sentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.emit();
    else this.timer = setTimeout(() => this.emit(), wait);
  }

  /** Sends what is pending now and stops the timer. */
  flush(): void {
    if (this.latest !== null) this.emit();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.latest === null) return;
    const value = this.latest;
    this.latest = null;
    this.sentAt = Date.now();
    this.send(value);
  }
}
