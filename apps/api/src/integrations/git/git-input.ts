// What a repository's remote URL and branch may be: checked at the API's edge so that nothing a
// user typed reaches git as an option, a credential in a URL, or a ref git would refuse.
import {
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** Why a remote URL is refused, or undefined when it is fine ('' is fine: local only). */
export function remoteUrlProblem(value: string): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'remoteUrl must be empty, an https:// URL or a file:// path';
  }
  if (url.protocol === 'file:') {
    if (url.host !== '') return 'a file:// remoteUrl must name a local path (file:///…)';
    return url.pathname.length > 1 ? undefined : 'a file:// remoteUrl needs a path';
  }
  if (url.protocol !== 'https:') {
    return 'remoteUrl must be empty, an https:// URL or a file:// path';
  }
  if (url.username || url.password) {
    return 'remoteUrl must not carry credentials: give the token in the token field';
  }
  if (url.search || url.hash) return 'remoteUrl must not carry a query or a fragment';
  return undefined;
}

/** Why a branch name is refused (git-check-ref-format's rules, conservatively), or undefined. */
export function branchNameProblem(value: string): string | undefined {
  const bad =
    !/^[A-Za-z0-9._/-]+$/.test(value) ||
    value.startsWith('-') ||
    value.startsWith('/') ||
    value.endsWith('/') ||
    value.endsWith('.') ||
    value.endsWith('.lock') ||
    value.includes('..') ||
    value.includes('//') ||
    value.split('/').some((part) => part.startsWith('.')) ||
    value === 'HEAD';
  return bad ? `branch "${value}" is not a valid git branch name` : undefined;
}

@ValidatorConstraint({ name: 'remoteUrl' })
export class RemoteUrlRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && remoteUrlProblem(value) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    const value: unknown = args.value;
    return (typeof value === 'string' && remoteUrlProblem(value)) || 'remoteUrl must be a string';
  }
}

@ValidatorConstraint({ name: 'branchName' })
export class BranchNameRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && branchNameProblem(value) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    const value: unknown = args.value;
    return (typeof value === 'string' && branchNameProblem(value)) || 'branch must be a string';
  }
}
