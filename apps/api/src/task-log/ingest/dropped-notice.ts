// The WARNING entry that tells a task's log how many of its entries were never stored.
import { LOG_LEVELS } from '@taskdeck/contracts';
import type { LevelCounts } from './log-buffer';
import { createLogRecord, type LogRecord } from './log-record';

/** Source of the entries Taskdeck itself writes into a task's log. */
export const TASKDECK_SOURCE = 'taskdeck';

export function droppedNotices(dropped: ReadonlyMap<string, LevelCounts>): LogRecord[] {
  const notices: LogRecord[] = [];
  for (const [taskId, counts] of dropped) {
    const total = counts[0] + counts[1] + counts[2] + counts[3];
    if (total === 0) continue;
    const byLevel: Record<string, number> = {};
    counts.forEach((n, level) => {
      if (n > 0) byLevel[LOG_LEVELS[level]] = n;
    });
    const detail = Object.entries(byLevel)
      .map(([level, n]) => `${level} ${n}`)
      .join(', ');
    notices.push(
      createLogRecord(
        taskId,
        2,
        TASKDECK_SOURCE,
        `${total} log ${total === 1 ? 'entry was' : 'entries were'} dropped before they could be stored (${detail}): the log buffer was full or the database refused them`,
        { dropped: byLevel, total },
      ),
    );
  }
  return notices;
}
