// What a log view shows, and how that maps to the URL (`?level=&source=a,b&q=`), to the REST query
// and to the socket subscription. Level and sources are filtered by the server on both paths;
// the text search has no socket counterpart, so live lines are matched against it here. A URL is
// read within the server's filter limits, so that an edited link never earns a 400.
import {
  LOG_FILTER_MAX_SOURCES,
  LOG_SEARCH_MAX_LENGTH,
  LOG_SOURCE_MAX_LENGTH,
  isLogLevel,
  type LogEntry,
  type LogLevel,
  type LogQuery,
} from '@taskdeck/contracts';

export interface LogFilter {
  level: LogLevel | null;
  sources: string[];
  search: string;
}

export const EMPTY_FILTER: LogFilter = { level: null, sources: [], search: '' };

export type QueryParamValues = Record<string, string | null>;

export function filterFromParams(params: Record<string, unknown>): LogFilter {
  const text = (key: string): string => {
    const value = params[key];
    return typeof value === 'string' ? value : '';
  };
  const level = text('level');
  return {
    level: isLogLevel(level) ? level : null,
    sources: [
      ...new Set(
        text('source')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && s.length <= LOG_SOURCE_MAX_LENGTH),
      ),
    ]
      .sort()
      .slice(0, LOG_FILTER_MAX_SOURCES),
    search: text('q').trim().slice(0, LOG_SEARCH_MAX_LENGTH),
  };
}

/** Query params for the router; null removes a parameter. */
export function filterToParams(filter: LogFilter): QueryParamValues {
  return {
    level: filter.level,
    source: filter.sources.length ? filter.sources.join(',') : null,
    q: filter.search || null,
  };
}

export function filterToQuery(filter: LogFilter): LogQuery {
  return {
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.sources.length ? { source: filter.sources.join(',') } : {}),
    ...(filter.search ? { search: filter.search } : {}),
  };
}

export function sameFilter(a: LogFilter, b: LogFilter): boolean {
  return (
    a.level === b.level && a.search === b.search && a.sources.join(',') === b.sources.join(',')
  );
}

export function isEmptyFilter(filter: LogFilter): boolean {
  return !filter.level && !filter.sources.length && !filter.search;
}

/** The server's `search`: a case-insensitive substring of the message. */
export function matchesSearch(entry: LogEntry, search: string): boolean {
  return !search || entry.message.toLowerCase().includes(search.toLowerCase());
}
