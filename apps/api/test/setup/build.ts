// Tests that run the server as a separate process (to kill it like a crash would) need the built
// API; build it when dist is missing or older than the sources.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const BUILT_MAIN = join(REPO_ROOT, 'dist/api/apps/api/src/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

export async function ensureApiBuilt(): Promise<void> {
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, 'apps/api/src')),
    newestMtime(join(REPO_ROOT, 'libs/contracts/src')),
  );
  if (existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= sources) return;
  process.stdout.write('[integration] building the API (dist is missing or stale)…\n');
  await promisify(execFile)(join(REPO_ROOT, 'node_modules/.bin/nest'), ['build', 'api'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}
