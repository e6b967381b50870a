// Log levels, lowest to highest. The numeric rank is what the server stores and compares.
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Rank of a level: DEBUG 0, INFO 1, WARNING 2, ERROR 3. */
export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/** True when `level` is `min` or higher. */
export function levelAtLeast(level: LogLevel, min: LogLevel): boolean {
  return levelRank(level) >= levelRank(min);
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}
