// Messages from other instances in the order their sender sent them. The PostgreSQL adapter passes
// large messages through a table and small ones inline, so a small batch can overtake a large one;
// log batches must not. Each sender numbers its messages; the inbox delivers them in number order,
// holding early ones until the gap fills (or, after a timeout, skipping the gap).

interface SenderState<T> {
  expected: number | null;
  held: Map<number, T>;
  timer: NodeJS.Timeout | null;
}

export class OrderedInbox<T> {
  private readonly senders = new Map<string, SenderState<T>>();

  constructor(
    private readonly deliver: (message: T) => void,
    /** How long a gap may hold later messages back. */
    private readonly gapTimeoutMs = 1000,
    /** The first messages of a sender wait this long for lower numbers that may still arrive. */
    private readonly firstWaitMs = 50,
  ) {}

  receive(sender: string, n: number, message: T): void {
    let state = this.senders.get(sender);
    if (!state) {
      state = { expected: null, held: new Map(), timer: null };
      this.senders.set(sender, state);
      state.held.set(n, message);
      state.timer = setTimeout(() => this.skipGap(state!), this.firstWaitMs);
      return;
    }
    if (state.expected !== null && n < state.expected) return; // late past a skipped gap: dropped
    state.held.set(n, message);
    if (state.expected !== null) this.drain(state);
  }

  stop(): void {
    for (const state of this.senders.values()) if (state.timer) clearTimeout(state.timer);
    this.senders.clear();
  }

  private drain(state: SenderState<T>): void {
    while (state.expected !== null && state.held.has(state.expected)) {
      const message = state.held.get(state.expected)!;
      state.held.delete(state.expected);
      state.expected++;
      this.deliver(message);
    }
    if (state.held.size && !state.timer) {
      state.timer = setTimeout(() => this.skipGap(state), this.gapTimeoutMs);
    } else if (!state.held.size && state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
  }

  private skipGap(state: SenderState<T>): void {
    state.timer = null;
    if (!state.held.size) return;
    state.expected = Math.min(...state.held.keys());
    this.drain(state);
  }
}
