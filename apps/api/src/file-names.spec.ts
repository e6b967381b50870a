// The API's one file-suffix rule (docs/architecture.md, "Contributing"): a Nest building block
// carries its kind as a dot-suffix, everything else none.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The kinds a file may name after its base name, and what makes a file one of them. */
const KINDS: Record<string, RegExp | null> = {
  module: /@(Global\(\)\s*@)?Module\(/,
  controller: /@Controller\(/,
  gateway: /@WebSocketGateway\(/,
  service: /@Injectable\(\)/,
  guard: /implements CanActivate\b/,
  pipe: /implements PipeTransform\b/,
  filter: /@Catch\(/,
  interceptor: /implements NestInterceptor\b/,
  middleware: null,
  decorator: null,
  dto: null,
  entity: /@Entity\(/,
  config: /registerAs\(/,
  plugin: /@TaskPluginDefinition\(/,
};
/** Suffixes that are not kinds: tests and TypeScript's declaration files. */
const TEST_OR_DECLARATION = /\.(spec|int-spec|d)\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !TEST_OR_DECLARATION.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(__dirname).map((path) => ({
  name: relative(__dirname, path),
  base: path.split('/').pop()!,
  text: readFileSync(path, 'utf8'),
}));

describe('file names in apps/api/src', () => {
  it('have no dot-suffix but a Nest kind (or .spec, .int-spec, .d)', () => {
    const odd = files.filter(({ base }) => {
      const parts = base.slice(0, -'.ts'.length).split('.');
      return parts.length > 2 || (parts.length === 2 && !(parts[1] in KINDS));
    });
    expect(odd.map((f) => f.name)).toEqual([]);
  });

  it('name the kind of the Nest building block they hold', () => {
    const wrong = files.flatMap(({ name, base, text }) => {
      const kind = /\.([a-z-]+)\.ts$/.exec(base)?.[1];
      // The first kind whose marker the file has, in the order above (a guard is also @Injectable).
      const held = Object.entries(KINDS)
        .filter(([, marker]) => marker?.test(text))
        .map(([k]) => k);
      const expected = held.find((k) => k !== 'service') ?? held[0];
      if (!expected || held.includes(kind ?? '')) return [];
      return [`${name} holds a ${expected}`];
    });
    expect(wrong).toEqual([]);
  });
});
