// After `npm ci`: the few lines a newcomer needs. npm's own warnings are kept to errors by .npmrc,
// because on an older system Node it printed some 350 EBADENGINE warnings that do not apply: npm
// scripts run on the Node 24 that the `node` devDependency installs, not on the system's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const systemNode = /\bnode\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? '')?.[1];
const projectNode = existsSync(join(root, 'node_modules/.bin/node')) ? process.version : null;

const lines = ['', 'Taskdeck is installed.'];
if (projectNode && systemNode && systemNode !== projectNode) {
  lines.push(
    `  npm scripts run on Node ${projectNode} from node_modules; your system's Node ${systemNode} only ran npm`,
    '  (npm warnings about unsupported engines would not apply, so they are not shown).',
  );
}
lines.push(
  '  npm start   build and start it on http://localhost:3000',
  '  npm test    run every test (API, console, browser)',
  '',
);
process.stdout.write(lines.join('\n'));
