// A log filter (minimum level, sources, search) from what a caller sent: the REST query, the
// download and the socket subscription all go through here, so a source means the same everywhere.
import {
  LOG_FILTER_MAX_SOURCES,
  LOG_SOURCE_MAX_LENGTH,
  levelRank,
  type LogLevel,
} from '@taskdeck/contracts';
import type { LevelRank } from '../level-rank';
import { sanitizeSource, sanitizeText } from '../safe-text';

/** What callers may filter on (REST query, socket subscription, download). */
export interface LogFilterInput {
  level?: LogLevel;
  /** One source, several comma-separated, or a list. */
  source?: string | readonly string[];
  search?: string;
}

export interface LogFilter {
  /** Minimum level rank; 0 lets everything through. */
  minLevel: LevelRank;
  /** Exact sources (any of them); null: any source. */
  sources: string[] | null;
  /** Case-insensitive literal substring of the message; null: any message. */
  search: string | null;
}

/**
 * Why a list of sources is not acceptable, or null when it is; parts that are blank once trimmed
 * do not count. The answer completes "… must be a list of …".
 */
export function sourceListProblem(parts: readonly unknown[]): string | null {
  if (parts.some((part) => typeof part !== 'string')) return 'strings';
  const sources = (parts as readonly string[])
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (sources.length > LOG_FILTER_MAX_SOURCES) return `at most ${LOG_FILTER_MAX_SOURCES} sources`;
  if (sources.some((source) => source.length > LOG_SOURCE_MAX_LENGTH)) {
    return `sources of at most ${LOG_SOURCE_MAX_LENGTH} characters`;
  }
  return null;
}

export function parseLogFilter(input: LogFilterInput): LogFilter {
  return {
    minLevel: input.level ? (levelRank(input.level) as LevelRank) : 0,
    sources: parseSources(input.source),
    search: input.search ? sanitizeText(input.search) : null,
  };
}

/** Sources as stored (sanitised the way log calls sanitise them), each once; null for none. */
export function parseSources(source: string | readonly string[] | undefined): string[] | null {
  if (source === undefined) return null;
  const parts = typeof source === 'string' ? source.split(',') : source;
  const sources = new Set<string>();
  for (const part of parts) {
    const clean = sanitizeSource(part, '');
    if (clean !== '') sources.add(clean);
  }
  return sources.size > 0 ? [...sources] : null;
}
