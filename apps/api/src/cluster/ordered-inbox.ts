// Messages from other instances in the order their sender sent them. The PostgreSQL adapter passes
// large messages through a table and small ones inline, so a small message can overtake a large
// one; log batches must not. Each sender numbers its messages; the inbox delivers them in number
// order, holding early ones until the gap fills. A gap that does not fill in time is skipped and
// reported, so that whoever builds state from the messages can read what it missed elsewhere.

interface SenderState<T> {
  expected: number | null;
  held: Map<number, T>;
  timer: NodeJS.Timeout | null;
}

export class OrderedInbox<T> {
  private readonly senders = new Map<string, SenderState<T>>();

  constructor(
    private readonly deliver: (message: T) => void,
    /** A sender's messages were skipped: they did not come within gapTimeoutMs. */
    private readonly skipped: (sender: string) => void = () => undefined,
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
      const first = state;
      state.timer = setTimeout(() => this.skipGap(sender, first), this.firstWaitMs);
      return;
    }
    if (state.expected !== null && n < state.expected) return; // late past a skipped gap: dropped
    state.held.set(n, message);
    if (state.expected !== null) this.drain(sender, state);
  }

  stop(): void {
    for (const state of this.senders.values()) if (state.timer) clearTimeout(state.timer);
    this.senders.clear();
  }

  private drain(sender: string, state: SenderState<T>): void {
    while (state.expected !== null && state.held.has(state.expected)) {
      const message = state.held.get(state.expected)!;
      state.held.delete(state.expected);
      state.expected++;
      this.deliver(message);
    }
    if (state.held.size && !state.timer) {
      state.timer = setTimeout(() => this.skipGap(sender, state), this.gapTimeoutMs);
    } else if (!state.held.size && state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
  }

  /** After a sender's first wait, where its numbering starts here; later, a real gap. */
  private skipGap(sender: string, state: SenderState<T>): void {
    state.timer = null;
    if (!state.held.size) return;
    const gap = state.expected !== null;
    state.expected = Math.min(...state.held.keys());
    if (gap) this.skipped(sender);
    this.drain(sender, state);
  }
}
