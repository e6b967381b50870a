// For specs of code that reads the database: reads wait at the gate while it is held, so a spec
// can make things happen during a read, then let the reads go on.
export class ReadGate {
  private waiting: (() => void)[] | null = null;

  /** Resolves at once while the gate is open; otherwise when it is released. */
  pass(): Promise<void> {
    const waiting = this.waiting;
    if (!waiting) return Promise.resolve();
    return new Promise((resolve) => waiting.push(resolve));
  }

  hold(): void {
    this.waiting ??= [];
  }

  release(): void {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    waiting.forEach((resolve) => resolve());
  }
}
