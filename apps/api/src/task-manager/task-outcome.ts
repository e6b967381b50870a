// How a task run ended, and the errors that stop one from the outside.
import type { TaskStatus } from '@taskdeck/contracts';

/** Aborts a task: the operator asked, or the server is stopping. */
export class TaskCancelledError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TaskCancelledError';
  }
}

/**
 * Aborts a run whose job the queue no longer counts as this worker's (its heartbeat was missed, or
 * it ran out of time): the queue fails or retries the job, so this run must stop.
 */
export class JobLostError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JobLostError';
  }
}

export const SHUTDOWN_REASON = 'cancelled: server shutting down';
export const RESTART_ERROR = 'interrupted by server restart';

export interface TaskOutcome {
  status: Extract<TaskStatus, 'SUCCESS' | 'FAILED' | 'CANCELLED'>;
  result: unknown;
  error: string | null;
  /** What a FAILED plugin threw (for the log line; not stored). */
  cause?: unknown;
}

/** A result as JSON (what a jsonb column can hold), or a description when it is not serialisable. */
export function storableResult(result: unknown): unknown {
  if (result === undefined) return null;
  try {
    return JSON.parse(
      JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ) as unknown;
  } catch (error) {
    return {
      unserialisable: Object.prototype.toString.call(result),
      reason: (error as Error).message,
    };
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export function errorMetadata(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: { name: error.name, message: error.message }, stack: error.stack ?? null };
  }
  return { error: errorMessage(error), stack: null };
}
