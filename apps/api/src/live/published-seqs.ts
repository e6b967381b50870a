// The highest seq of each task that this instance has fanned out to its rooms. A subscription whose
// backlog read got ahead of it (the database shows a commit before its batch reaches the fan-out:
// always briefly on the committing instance, for longer on the others) must not join its room
// until the fan-out has passed what the backlog sent, or the room would send those entries again.

/** Tasks remembered; forgetting one only makes a new subscriber wait for the task's next batch. */
export const PUBLISHED_SEQS_CAPACITY = 10_000;

export class PublishedSeqs {
  private readonly seqs = new Map<string, number>();

  constructor(private readonly capacity = PUBLISHED_SEQS_CAPACITY) {}

  /** 0 when none of the task's batches has been fanned out here (or it was forgotten). */
  get(taskId: string): number {
    return this.seqs.get(taskId) ?? 0;
  }

  advance(taskId: string, seq: number): void {
    const current = this.seqs.get(taskId);
    if (current !== undefined && current >= seq) return;
    // Re-inserted so that the map's order is least recently advanced first.
    this.seqs.delete(taskId);
    this.seqs.set(taskId, seq);
    if (this.seqs.size > this.capacity) {
      const oldest = this.seqs.keys().next();
      if (!oldest.done) this.seqs.delete(oldest.value);
    }
  }

  forget(taskId: string): void {
    this.seqs.delete(taskId);
  }
}
