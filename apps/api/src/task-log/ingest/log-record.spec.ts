import { LOG_MESSAGE_MAX_BYTES, LOG_MESSAGE_TRUNCATED_MARKER } from '@taskdeck/contracts';
import { createLogRecord, sanitizeMessage } from './log-record';
import { METADATA_MAX_CHARS, metadataToJson } from './metadata-json';
import { NUL_REPLACEMENT, SURROGATE_REPLACEMENT } from '../safe-text';

const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

describe('createLogRecord', () => {
  it('keeps a plain call as it is and serialises the metadata once, at call time', () => {
    const metadata = { ref: 'main', n: 3 };
    const before = Date.now();
    const record = createLogRecord(TASK, 1, 'git', 'pushed', metadata);
    metadata.ref = 'changed later';
    expect(record).toMatchObject({
      taskId: TASK,
      level: 1,
      source: 'git',
      message: 'pushed',
      pos: 0,
    });
    expect(parse(record.metadataJson)).toEqual({ ref: 'main', n: 3 });
    expect(record.ts).toBeGreaterThanOrEqual(before);
    expect(record.ts).toBeLessThanOrEqual(Date.now());
  });

  it('counts message and metadata in approxBytes', () => {
    const small = createLogRecord(TASK, 1, 's', 'x', undefined);
    const big = createLogRecord(TASK, 1, 's', 'x'.repeat(10_000), { blob: 'y'.repeat(5_000) });
    expect(big.approxBytes - small.approxBytes).toBeGreaterThanOrEqual(15_000);
    expect(small.metadataJson).toBeNull();
  });
});

describe('sanitizeMessage', () => {
  it('cuts a message over the byte limit on a character boundary and marks it', () => {
    // 3-byte characters, so that the limit falls inside one unless the cut respects boundaries.
    const long = '€'.repeat(LOG_MESSAGE_MAX_BYTES);
    const cut = sanitizeMessage(long);
    expect(cut.endsWith(LOG_MESSAGE_TRUNCATED_MARKER)).toBe(true);
    expect(bytes(cut)).toBeLessThanOrEqual(LOG_MESSAGE_MAX_BYTES);
    expect(bytes(cut)).toBeGreaterThan(
      LOG_MESSAGE_MAX_BYTES - 4 - bytes(LOG_MESSAGE_TRUNCATED_MARKER),
    );
    expect(cut.slice(0, -LOG_MESSAGE_TRUNCATED_MARKER.length)).toMatch(/^€+$/);
  });

  it('does not split a surrogate pair when cutting', () => {
    const cut = sanitizeMessage('a' + '😀'.repeat(LOG_MESSAGE_MAX_BYTES / 2));
    const body = cut.slice(0, -LOG_MESSAGE_TRUNCATED_MARKER.length);
    expect(body).toMatch(/^a(😀)+$/u);
    expect(bytes(cut)).toBeLessThanOrEqual(LOG_MESSAGE_MAX_BYTES);
  });

  it('leaves a message of exactly the limit alone', () => {
    const exact = 'a'.repeat(LOG_MESSAGE_MAX_BYTES);
    expect(sanitizeMessage(exact)).toBe(exact);
  });

  it('replaces NUL and lone surrogates, keeps valid pairs', () => {
    expect(sanitizeMessage('a\u0000b')).toBe(`a${NUL_REPLACEMENT}b`);
    expect(sanitizeMessage('x\uD800y\uDC00z')).toBe(
      `x${SURROGATE_REPLACEMENT}y${SURROGATE_REPLACEMENT}z`,
    );
    expect(sanitizeMessage('ok 😀')).toBe('ok 😀');
    expect(sanitizeMessage('end\uD83D')).toBe(`end${SURROGATE_REPLACEMENT}`);
  });

  it('turns non-strings into text without throwing', () => {
    expect(sanitizeMessage(undefined)).toBe('');
    expect(sanitizeMessage(42)).toBe('42');
    expect(sanitizeMessage(new Error('boom'))).toBe('Error: boom');
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(sanitizeMessage(hostile)).toMatch(/could not be converted/);
  });
});

describe('metadataToJson', () => {
  it('gives null for no metadata', () => {
    expect(metadataToJson(undefined)).toBeNull();
    expect(metadataToJson(null)).toBeNull();
  });

  it('keeps plain objects, nested arrays and objects', () => {
    const value = { a: 1, b: [1, 'two', { c: true }], d: { e: null } };
    expect(parse(metadataToJson(value))).toEqual(value);
    expect(parse(metadataToJson(Object.assign(Object.create(null) as object, { x: 1 })))).toEqual({
      x: 1,
    });
  });

  it('wraps what is not a plain object', () => {
    expect(parse(metadataToJson([1, 2]))).toEqual({ value: [1, 2] });
    expect(parse(metadataToJson('text'))).toEqual({ value: 'text' });
    expect(parse(metadataToJson(7))).toEqual({ value: 7 });
    expect(parse(metadataToJson(new Date('2026-01-02T03:04:05.678Z')))).toEqual({
      value: '2026-01-02T03:04:05.678Z',
    });
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(parse(metadataToJson(new Point(1, 2)))).toEqual({ value: { x: 1, y: 2 } });
    expect(parse(metadataToJson(new Map([['k', 1]])))).toEqual({ value: { k: 1 } });
    expect(parse(metadataToJson(new Set(['a'])))).toEqual({ value: ['a'] });
    expect(metadataToJson(() => 1)).toBeNull();
  });

  it('keeps name, message, stack, own fields and cause of errors, top-level or nested', () => {
    const cause = new Error('root cause');
    const error = Object.assign(new TypeError('bad thing', { cause }), { code: 'E_BAD' });
    const top = parse(metadataToJson(error)) as Record<string, unknown>;
    expect(top).toMatchObject({ name: 'TypeError', message: 'bad thing', code: 'E_BAD' });
    expect(top.stack).toContain('bad thing');
    expect(top.cause).toMatchObject({ name: 'Error', message: 'root cause' });

    const nested = parse(metadataToJson({ error, attempt: 2 })) as {
      error: Record<string, unknown>;
    };
    expect(nested.error).toMatchObject({ name: 'TypeError', message: 'bad thing', code: 'E_BAD' });
  });

  it('marks cycles but serialises shared (non-cyclic) references in full', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(parse(metadataToJson(cyclic))).toEqual({ name: 'loop', self: '[Circular]' });
    const shared = { v: 1 };
    expect(parse(metadataToJson({ a: shared, b: shared }))).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it('turns BigInt into a string and leaves functions, symbols and undefined out', () => {
    const json = metadataToJson({
      big: 12345678901234567890n,
      f: () => 1,
      s: Symbol('x'),
      u: undefined,
      ok: 1,
    });
    expect(parse(json)).toEqual({ big: '12345678901234567890', ok: 1 });
  });

  it('makes NUL and lone surrogates in values and keys safe for jsonb', () => {
    const json = metadataToJson({ 'k\u0000ey': 'a\u0000b', lone: '\uDC00', pair: '😀' });
    expect(json).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    expect(parse(json)).toEqual({
      [`k${NUL_REPLACEMENT}ey`]: `a${NUL_REPLACEMENT}b`,
      lone: SURROGATE_REPLACEMENT,
      pair: '😀',
    });
  });

  it('survives getters and toJSON that throw, and very deep nesting', () => {
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(
      parse(
        metadataToJson({
          nested: new (class {
            get boom(): never {
              throw new Error('getter');
            }
            readonly ok = 1;
          })(),
        }),
      ),
    ).toEqual({ nested: { ok: 1 } });
    expect(parse(metadataToJson(hostile))).toEqual({ boom: '[Unreadable]' });
    expect(
      parse(
        metadataToJson({
          d: {
            toJSON: () => {
              throw new Error('x');
            },
          },
        }),
      ),
    ).toEqual({
      error: 'metadata could not be serialised',
    });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10_000; i++) deep = { deep };
    const json = metadataToJson(deep);
    expect(json).toContain('[Truncated]');
  });

  it('replaces oversized metadata by a preview', () => {
    const json = metadataToJson({ blob: 'x'.repeat(METADATA_MAX_CHARS) });
    const value = parse(json) as { truncated: boolean; originalLength: number; preview: string };
    expect(value.truncated).toBe(true);
    expect(value.originalLength).toBeGreaterThan(METADATA_MAX_CHARS);
    expect(value.preview.length).toBeLessThanOrEqual(1024);
  });

  it('always yields a JSON object', () => {
    const odd = { toJSON: () => 'just a string' };
    expect(parse(metadataToJson(odd))).toEqual({ value: 'just a string' });
  });
});
