// A running task's progress: clamped, throttled, stored, then announced — one write at a time, so
// a late progress write can never land (or be announced) after the task's final status.
import { Logger } from '@nestjs/common';
import type { Task } from '@taskdeck/contracts';
import type { TaskEntity } from './entities/task.entity';
import { ProgressThrottle } from './progress-throttle';
import { errorMessage } from './task-outcome';
import { toTask } from './task-mapper';

/** At most this many progress writes (and events) per second and task: 4. */
export const PROGRESS_INTERVAL_MS = 250;

export interface ProgressSink {
  /** Stores the value; false when the task is no longer RUNNING. */
  setProgress(id: string, progress: number): Promise<boolean>;
  changed(task: Task): void;
}

/** 0–100, whole numbers; null for what is not a finite number. */
export function clampProgress(percent: number): number | null {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return null;
  return Math.max(0, Math.min(100, Math.round(percent)));
}

export class TaskProgress {
  private static readonly logger = new Logger(TaskProgress.name);
  private readonly throttle: ProgressThrottle;
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly entity: TaskEntity,
    private readonly sink: ProgressSink,
    intervalMs = PROGRESS_INTERVAL_MS,
  ) {
    this.throttle = new ProgressThrottle(intervalMs, (value) => {
      this.writes = this.writes.then(() => this.store(value));
    });
  }

  /** Ignored once the run has settled (a plugin's stray timer must not move a finished task). */
  report(percent: number): void {
    const value = clampProgress(percent);
    if (value === null || this.closed) return;
    this.throttle.push(value);
  }

  /** Writes the latest value still pending and waits for every write: call before the end is stored. */
  async settle(): Promise<void> {
    this.throttle.flush();
    this.closed = true;
    await this.writes;
  }

  private async store(value: number): Promise<void> {
    try {
      if (!(await this.sink.setProgress(this.entity.id, value))) return;
      this.entity.progress = value;
      this.sink.changed(toTask(this.entity));
    } catch (error) {
      TaskProgress.logger.warn(
        `progress of task ${this.entity.id} not stored: ${errorMessage(error)}`,
      );
    }
  }
}
