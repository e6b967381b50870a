import type { Task } from '@taskdeck/contracts';

/** "850 ms", "12.4 s", "3 min 05 s", "2 h 04 min". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** How long a task ran (or has been running, at `now`); "—" before it started. */
export function formatDuration(task: Pick<Task, 'startedAt' | 'finishedAt'>, now: number): string {
  if (!task.startedAt) return '—';
  const end = task.finishedAt ? Date.parse(task.finishedAt) : now;
  return humanDuration(end - Date.parse(task.startedAt));
}
