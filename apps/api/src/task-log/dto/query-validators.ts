// Query-string helpers for the log DTOs: strict integers and the comma-separated source list.
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

export const MAX_FILTER_SOURCES = 50;
export const MAX_SOURCE_LENGTH = 100;
export const MAX_SEARCH_LENGTH = 500;

/**
 * Turns a string of digits into a number and leaves anything else as it is, so that IsInt rejects
 * "abc", "1.5", "-1", "1e3", " 7" and repeated parameters instead of coercing them.
 */
export function DigitsToNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : value,
  );
}

/** Why a comma-separated source list is not acceptable, or null when it is. */
export function sourceListProblem(value: string): string | null {
  const sources = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (sources.length > MAX_FILTER_SOURCES) return `at most ${MAX_FILTER_SOURCES} sources`;
  if (sources.some((source) => source.length > MAX_SOURCE_LENGTH)) {
    return `sources of at most ${MAX_SOURCE_LENGTH} characters`;
  }
  return null;
}

export function IsSourceList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSourceList',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && sourceListProblem(value) === null,
        defaultMessage: (args) => {
          const problem = typeof args?.value === 'string' ? sourceListProblem(args.value) : null;
          return `${args?.property ?? 'source'} must be a comma-separated list of ${problem ?? 'sources'}`;
        },
      },
    },
    options,
  );
}
