import type { Task } from '@taskdeck/contracts';

/** Progress events per task at most this often; status changes always go out at once. */
export const TASK_PROGRESS_INTERVAL_MS = 250;

/**
 * `task` events: a status change is sent immediately; progress-only changes at most every
 * interval per task, always ending on the latest value.
 */
export class TaskEventThrottle {
  private readonly last = new Map<string, { status: Task['status']; at: number }>();
  private readonly waiting = new Map<string, { task: Task; timer: NodeJS.Timeout }>();

  constructor(
    private readonly send: (task: Task) => void,
    private readonly intervalMs = TASK_PROGRESS_INTERVAL_MS,
  ) {}

  push(task: Task): void {
    const previous = this.last.get(task.id);
    const waiting = this.waiting.get(task.id);
    const now = Date.now();
    if (!previous || previous.status !== task.status || now - previous.at >= this.intervalMs) {
      if (waiting) {
        clearTimeout(waiting.timer);
        this.waiting.delete(task.id);
      }
      this.emit(task, now);
      return;
    }
    if (waiting) {
      waiting.task = task;
      return;
    }
    const timer = setTimeout(
      () => {
        const latest = this.waiting.get(task.id);
        this.waiting.delete(task.id);
        if (latest) this.emit(latest.task, Date.now());
      },
      previous.at + this.intervalMs - now,
    );
    this.waiting.set(task.id, { task, timer });
  }

  stop(): void {
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  private emit(task: Task, at: number): void {
    if (task.status === 'SUCCESS' || task.status === 'FAILED' || task.status === 'CANCELLED') {
      this.last.delete(task.id);
    } else {
      this.last.set(task.id, { status: task.status, at });
    }
    this.send(task);
  }
}
