// A live subscription's filter (task, minimum level, sources), validated from what a client sent,
// with a stable key: subscriptions with equal filters share one room.
import {
  LOG_FILTER_MAX_SOURCES,
  LOG_LEVELS,
  LOG_SOURCE_MAX_LENGTH,
  levelRank,
  type LogEntry,
  type LogLevel,
  type SubscribeRequest,
} from '@taskdeck/contracts';
import { isUuid } from '../common/uuid';

export interface LogSubscriptionFilter {
  taskId: string;
  level: LogLevel | undefined;
  minRank: number;
  /** Sorted, distinct; null: any source. */
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

/** Validates a `subscribe` payload; throws InvalidSubscriptionError with a reason. */
export function parseSubscription(raw: unknown): LogSubscriptionFilter {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    fail('subscribe needs an object {taskId, level?, sources?, afterSeq?}');
  }
  const request = raw as Partial<Record<keyof SubscribeRequest, unknown>>;
  const known = new Set(['taskId', 'level', 'sources', 'afterSeq']);
  const unknown = Object.keys(request).filter((k) => !known.has(k));
  if (unknown.length) fail(`unknown field(s): ${unknown.join(', ')}`);

  const { taskId, level, sources, afterSeq } = request;
  if (!isUuid(taskId)) fail('taskId must be a UUID');
  if (
    level !== undefined &&
    level !== null &&
    !(LOG_LEVELS as readonly unknown[]).includes(level)
  ) {
    fail(`level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  let sourceList: string[] | null = null;
  if (sources !== undefined && sources !== null) {
    if (!Array.isArray(sources)) fail('sources must be an array of strings');
    if (sources.length > LOG_FILTER_MAX_SOURCES) {
      fail(`sources may name at most ${LOG_FILTER_MAX_SOURCES} sources`);
    }
    for (const source of sources) {
      if (typeof source !== 'string' || !source.trim() || source.length > LOG_SOURCE_MAX_LENGTH) {
        fail(
          `each source must be a non-empty string of at most ${LOG_SOURCE_MAX_LENGTH} characters`,
        );
      }
    }
    sourceList = sources.length ? [...new Set(sources as string[])].sort() : null;
  }
  if (
    afterSeq !== undefined &&
    afterSeq !== null &&
    !(Number.isSafeInteger(afterSeq) && (afterSeq as number) >= 0)
  ) {
    fail('afterSeq must be a non-negative integer');
  }
  const minLevel = (level ?? undefined) as LogLevel | undefined;
  const minRank = minLevel ? levelRank(minLevel) : 0;
  return {
    taskId: taskId.toLowerCase(),
    level: minLevel,
    minRank,
    sources: sourceList,
    afterSeq: typeof afterSeq === 'number' ? afterSeq : null,
    key: `logs:${taskId.toLowerCase()}:${minRank}:${sourceList ? JSON.stringify(sourceList) : '*'}`,
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
    ...(typeof source === 'string' && source
      ? {
          sources: source
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
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
