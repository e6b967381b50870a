import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH, SafeJsonPipe, unsafeJson } from './safe-json.pipe';

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('SafeJsonPipe', () => {
  const pipe = new SafeJsonPipe();

  it('refuses __proto__, constructor and prototype keys at any depth of a body or query', () => {
    const polluted = JSON.parse('{"a":[{"b":{"__proto__":{"admin":true}}}]}') as unknown;
    expect(() => pipe.transform(polluted, { type: 'body' })).toThrow(BadRequestException);
    expect(() => pipe.transform(JSON.parse('{"__proto__":null}'), { type: 'query' })).toThrow(
      'a key named __proto__ is not accepted',
    );
    expect(() => pipe.transform({ a: { constructor: 1 } }, { type: 'body' })).toThrow(
      'a key named constructor is not accepted',
    );
    expect(() => pipe.transform({ prototype: 0 }, { type: 'body' })).toThrow('prototype');
    const fine = { name: 'constructor', list: ['__proto__'], nested: [{ a: null }] };
    expect(pipe.transform(fine, { type: 'body' })).toBe(fine);
    expect(pipe.transform(polluted, { type: 'custom' })).toBe(polluted);
  });

  it('refuses nesting past the limit, without overflowing the stack itself', () => {
    expect(unsafeJson(nested(MAX_JSON_DEPTH, 'ok'))).toBeNull();
    expect(unsafeJson(nested(MAX_JSON_DEPTH + 1, 'no'))).toBe(
      `nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
    expect(() => pipe.transform(nested(100_000, 1), { type: 'body' })).toThrow(BadRequestException);
  });
});
