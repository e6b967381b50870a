// Query-string helpers for the log DTOs: strict integers and the comma-separated source list.
import { Transform } from 'class-transformer';
import { LOG_FILTER_MAX_SOURCES, LOG_SOURCE_MAX_LENGTH } from '@taskdeck/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';

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
  if (sources.length > LOG_FILTER_MAX_SOURCES) return `at most ${LOG_FILTER_MAX_SOURCES} sources`;
  if (sources.some((source) => source.length > LOG_SOURCE_MAX_LENGTH)) {
    return `sources of at most ${LOG_SOURCE_MAX_LENGTH} characters`;
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
