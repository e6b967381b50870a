// Hostile inputs for the fuzz suite (fast-check arbitraries): wrong types, null, arrays for
// objects, huge strings, deep nesting, unicode and NUL, numbers out of range, unknown fields,
// prototype-pollution keys, bad UUIDs, path-traversal strings. Sizes are bounded; the few big
// values are constants, so a run stays quick and a failure replays from its seed.
import fc from 'fast-check';

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  ' 7',
  ...PROTO_KEYS,
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/passwd',
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '\uD800',
  '\uDFFF\uD800',
  '\uFFFF\uFFFE',
  '\u202E\u0645\u0631\u062D\u0628\u0627',
  '🙂'.repeat(40),
  'x'.repeat(600),
  'y'.repeat(70_000), // over every field's limit, under the 100 KB body limit
  'DEBUG',
  'ADMIN',
];

/** A string meant to break things (it may happen to be valid for a free-text field). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** Nested 64 deep: more than any real payload, still something a client can serialise. */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .boolean()
  .map((asArray) => nested(64, 'deep', asArray));

/** Valid JSON nested far deeper (as text: JSON.stringify itself overflows on such a value). */
export const DEEP_JSON_TEXTS = [
  `${'['.repeat(5_000)}"deep"${']'.repeat(5_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
];

/** An object whose keys include prototype-pollution names. */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom({ admin: true }, { role: 'admin' }, null))
  .map(
    ([key, value]) =>
      JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as Record<string, unknown>,
  );

/** Any JSON value a hostile client could send, bounded. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: deeplyNested },
);
/** A value that is wrong for a field of this JSON Schema type, whatever else the field allows. */
export function wrongTypeFor(type: string | undefined): fc.Arbitrary<unknown> {
  const notString = fc.oneof(
    hostileNumber,
    fc.constantFrom(true, null),
    fc.constant([]),
    pollutingObject,
  );
  switch (type ?? '') {
    case 'string':
      return notString;
    case 'integer':
    case 'number':
      return fc.oneof(
        hostileString.map((s) => `${s}`),
        fc.constantFrom(null, true, 1.5),
        fc.constant([1]),
      );
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'yes', 1, 0, null), fc.constant([true]));
    case 'object':
      return fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true), fc.constant([{}]));
    case 'array':
      return fc.oneof(hostileString, fc.constantFrom(null, 3), pollutingObject);
    default:
      return fc.constant(null);
  }
}

/** A path segment: bad UUIDs, traversal, unicode, NUL, very long, or a well-formed unknown UUID. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'not-a-uuid',
    '00000000-0000-0000-0000-00000000000g',
    '00000000-0000-0000-0000-000000000000',
    '../../../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    '%',
    '%%',
    "1' OR '1'='1",
    '🙂',
    'z'.repeat(5_000),
    '__proto__',
  ),
  fc.uuid(),
  hostileString.filter((s) => s.length > 0 && s.length < 200),
);

/** A URL carries UTF-8: a lone surrogate can only go as U+FFFD (JSON bodies carry it as \ud800). */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
