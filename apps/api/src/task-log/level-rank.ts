// Levels as task_log_entries.level stores them.
import { LOG_LEVELS, type LogLevel } from '@taskdeck/contracts';

/** DEBUG 0, INFO 1, WARNING 2, ERROR 3: what task_log_entries.level stores. */
export type LevelRank = 0 | 1 | 2 | 3;

export function levelName(rank: LevelRank): LogLevel {
  return LOG_LEVELS[rank];
}
