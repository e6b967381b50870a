// How the flusher reads a failed write, and how long it waits before the next attempt.

export type WriteFailureKind =
  /** The rows clash with stored seqs: this instance's numbering of a task is stale. */
  | 'stale-seq'
  /** The database refuses the data itself; retrying the same rows will not help for long. */
  | 'refused'
  /** Connection, timeout, server restart…: retry the same batch. */
  | 'transient';

export interface WriteFailure {
  kind: WriteFailureKind;
  message: string;
}

const UNIQUE_VIOLATION = '23505';
/** Data exception, integrity constraint violation, program limit exceeded. */
const REFUSED_CLASSES = /^(22|23|54)[0-9A-Z]{3}$/;

export const RETRY_BASE_MS = 100;
export const RETRY_MAX_MS = 5_000;

export function describeWriteFailure(error: unknown): WriteFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  if (code === UNIQUE_VIOLATION) return { kind: 'stale-seq', message };
  if (code !== undefined && REFUSED_CLASSES.test(code)) return { kind: 'refused', message };
  return { kind: 'transient', message };
}

/** Exponential back-off from RETRY_BASE_MS, capped at RETRY_MAX_MS, with jitter (half to all of it). */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(
    RETRY_MAX_MS,
    RETRY_BASE_MS * 2 ** Math.min(Math.max(failures - 1, 0), 16),
  );
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
