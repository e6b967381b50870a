// How every optional DTO field is declared. class-validator's IsOptional skips the other checks
// for null as well as for undefined, so `{"level": null}` passed validation and reached the
// services. Here only an absent field is optional: null is rejected like any other wrong value.
import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out; when present (null included) the property's other validators run,
 * and null is refused with its own message whatever they are.
 */
export function OptionalField(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    ValidateBy(
      {
        name: 'isNotNull',
        validator: {
          validate: (value: unknown) => value !== null,
          defaultMessage: (args) => `${args?.property ?? 'value'} must not be null`,
        },
      },
      options,
    ),
  );
}
