import {
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/**
 * An http(s) URL without credentials, query or fragment: the API's base, to which the client
 * appends `/chat/completions` (e.g. `https://api.example.com/v1`, `http://127.0.0.1:11434/v1`).
 */
export function isLlmBaseUrl(value: unknown): boolean {
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

/** The stored form: no trailing slash. */
export function normaliseLlmBaseUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

@ValidatorConstraint({ name: 'llmBaseUrl' })
export class LlmBaseUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isLlmBaseUrl(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an http or https URL without credentials, query or fragment`;
  }
}
