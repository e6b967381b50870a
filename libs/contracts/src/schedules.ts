/**
 * A named schedule: on each tick of `cron` (five fields, minute resolution, in `timezone`) a task
 * of `pluginId` with `params` is created, `createdBy: "schedule"`, on exactly one instance. A tick
 * due while the previous run of the schedule has not finished is skipped.
 */
export interface TaskSchedule {
  name: string;
  cron: string;
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone: string;
  pluginId: string;
  params: Record<string, unknown>;
  /** The task of the latest run, or null before the first. */
  lastTaskId: string | null;
  /** When the next tick is due. */
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UpsertScheduleRequest {
  cron: string;
  timezone?: string;
  pluginId: string;
  params?: Record<string, unknown>;
}

/** Schedule names: letters, digits, `_ . -`, 1–100 characters, starting with a letter or digit. */
export const SCHEDULE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
