import {
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** An http(s) URL without credentials, query or fragment: Superset's base URL. */
export function isSupersetUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash
  );
}

/** The stored form: no trailing slash, so paths append cleanly. */
export function normaliseSupersetUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

@ValidatorConstraint({ name: 'supersetUrl' })
export class SupersetUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isSupersetUrl(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an http or https URL without credentials, query or fragment`;
  }
}
