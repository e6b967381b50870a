// Refuses, before any other validation, the two shapes of body or query that hurt the validators
// behind it:
// - a `__proto__`, `constructor` or `prototype` key at any depth. JSON.parse makes `__proto__` an
//   ordinary key, but a later spread or assign turns it into the object's prototype (prototype
//   pollution); and class-validator's whitelist takes all three for declared properties (it looks
//   them up on a plain object), so such bodies were quietly accepted. No request of the API has a
//   field of these names;
// - nesting deeper than MAX_JSON_DEPTH. JSON.parse accepts 5,000 levels, class-transformer then
//   recursed until the stack overflowed: a 500. No request of the API nests half as deep.
// The walk is iterative, so no input can overflow the stack here.
import {
  BadRequestException,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
export const MAX_JSON_DEPTH = 32;

/** Why `value` is refused, or null. */
export function unsafeJson(value: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length) {
    const current = pending.pop()!;
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.depth >= MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    for (const key of Object.keys(current.value)) {
      if (FORBIDDEN.includes(key)) return `a key named ${key} is not accepted`;
      pending.push({
        value: (current.value as Record<string, unknown>)[key],
        depth: current.depth + 1,
      });
    }
  }
  return null;
}

@Injectable()
export class SafeJsonPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const problem = unsafeJson(value);
    if (problem !== null) throw new BadRequestException(problem);
    return value;
  }
}
