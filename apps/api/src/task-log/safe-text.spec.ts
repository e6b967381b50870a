import { sanitizeSource } from './safe-text';

describe('sanitizeSource', () => {
  it('trims, removes control characters, caps at 100 characters and falls back when empty', () => {
    expect(sanitizeSource('  git  ', 'task')).toBe('git');
    expect(sanitizeSource('a\nb\u0000c', 'task')).toBe('a b c');
    expect(sanitizeSource('', 'task')).toBe('task');
    expect(sanitizeSource('   ', 'task')).toBe('task');
    expect(sanitizeSource(undefined, 'task')).toBe('task');
    expect(sanitizeSource('s'.repeat(300), 'task')).toHaveLength(100);
    expect(sanitizeSource('s'.repeat(99) + '😀', 'task')).toBe('s'.repeat(99));
  });
});
