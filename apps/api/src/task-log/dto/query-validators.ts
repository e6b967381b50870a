// Query-string helpers for the log DTOs: strict integers and the comma-separated source list.
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { sourceListProblem } from '../query/log-filter';

/**
 * Turns a string of digits into a number and leaves anything else as it is, so that IsInt rejects
 * "abc", "1.5", "-1", "1e3", " 7" and repeated parameters instead of coercing them.
 */
export function DigitsToNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : value,
  );
}

export function IsSourceList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSourceList',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && sourceListProblem(value.split(',')) === null,
        defaultMessage: (args) => {
          const problem =
            typeof args?.value === 'string' ? sourceListProblem(args.value.split(',')) : null;
          return `${args?.property ?? 'source'} must be a comma-separated list of ${problem ?? 'sources'}`;
        },
      },
    },
    options,
  );
}
