// A live subscription's filter (task, minimum level, sources), validated from what a client sent
// and parsed by the same code as the REST filters (task-log/query/log-filter.ts), with a stable
// key: subscriptions with equal filters share one room.
import {
  isLogLevel,
  LOG_LEVELS,
  levelRank,
  type LogEntry,
  type LogLevel,
} from '@taskdeck/contracts';
import { isUuid } from '../common/uuid';
import { parseLogFilter, sourceListProblem } from '../task-log/query/log-filter';

export interface LogSubscriptionFilter {
  taskId: string;
  level: LogLevel | undefined;
  minRank: number;
  /** As stored (cleaned like REST filters), sorted, distinct; null: any source. */
  sources: string[] | null;
  /** Send stored entries after this seq first; null: live only. */
  afterSeq: number | null;
  /** Room key: task + level + sources. */
  key: string;
}

export class InvalidSubscriptionError extends Error {}

function fail(message: string): never {
  throw new InvalidSubscriptionError(message);
}

const FIELDS = new Set(['taskId', 'level', 'sources', 'afterSeq']);

/** Validates a `subscribe` payload; throws InvalidSubscriptionError with a reason. */
export function parseSubscription(raw: unknown): LogSubscriptionFilter {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    fail('subscribe needs an object {taskId, level?, sources?, afterSeq?}');
  }
  const request = raw as Record<string, unknown>;
  const unknown = Object.keys(request).filter((k) => !FIELDS.has(k));
  if (unknown.length) fail(`unknown field(s): ${unknown.join(', ')}`);

  const { taskId, level, sources, afterSeq } = request;
  if (!isUuid(taskId)) fail('taskId must be a UUID');
  if (level !== undefined && level !== null && !isLogLevel(level)) {
    fail(`level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  if (sources !== undefined && sources !== null) {
    if (!Array.isArray(sources)) fail('sources must be an array of strings');
    const problem = sourceListProblem(sources);
    if (problem) fail(`sources must be a list of ${problem}`);
  }
  if (
    afterSeq !== undefined &&
    afterSeq !== null &&
    !(Number.isSafeInteger(afterSeq) && (afterSeq as number) >= 0)
  ) {
    fail('afterSeq must be a non-negative integer');
  }
  const minLevel = isLogLevel(level) ? level : undefined;
  const filter = parseLogFilter({
    level: minLevel,
    ...(Array.isArray(sources) ? { source: sources as string[] } : {}),
  });
  const sourceList = filter.sources?.sort() ?? null;
  const id = taskId.toLowerCase();
  return {
    taskId: id,
    level: minLevel,
    minRank: filter.minLevel,
    sources: sourceList,
    afterSeq: typeof afterSeq === 'number' ? afterSeq : null,
    key: `logs:${id}:${filter.minLevel}:${sourceList ? JSON.stringify(sourceList) : '*'}`,
  };
}

/** The handshake-query shortcut `?taskId=…&source=a,b&level=WARNING&afterSeq=…`. */
export function subscriptionFromQuery(query: Record<string, unknown>): unknown {
  const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
  const source = first(query.source);
  const afterSeq = first(query.afterSeq);
  return {
    taskId: first(query.taskId),
    ...(query.level !== undefined ? { level: first(query.level) } : {}),
    ...(typeof source === 'string' && source ? { sources: source.split(',') } : {}),
    ...(typeof afterSeq === 'string' && /^\d+$/.test(afterSeq)
      ? { afterSeq: Number(afterSeq) }
      : {}),
  };
}

/** The entries of a batch that pass a filter (same order). */
export function filterEntries(
  entries: readonly LogEntry[],
  filter: Pick<LogSubscriptionFilter, 'minRank' | 'sources'>,
): LogEntry[] {
  if (filter.minRank === 0 && !filter.sources) return entries as LogEntry[];
  const sources = filter.sources ? new Set(filter.sources) : null;
  return entries.filter(
    (e) => levelRank(e.level) >= filter.minRank && (!sources || sources.has(e.source)),
  );
}
