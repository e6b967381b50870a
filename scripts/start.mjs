// `npm start`: builds what is not built yet (or is older than its sources), then starts the server
// in this same process, so Ctrl-C reaches it directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const apiMain = join(root, 'dist/api/apps/api/src/main.js');
const webIndex = join(root, 'dist/web/browser/index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

function stale(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => newest(join(root, dir)) > built);
}

function run(script) {
  process.stdout.write(`> npm run ${script}\n`);
  const result = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (stale(apiMain, 'apps/api/src', 'libs/contracts/src')) run('build:api');
if (
  existsSync(join(root, 'apps/web/src')) &&
  stale(webIndex, 'apps/web/src', 'libs/contracts/src')
) {
  run('build:web');
}

process.chdir(root);
await import(pathToFileURL(apiMain).href);
