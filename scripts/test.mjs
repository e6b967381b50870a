// `npm test`: builds, then runs every test runner (API unit + integration with jest, console unit
// tests with vitest, browser tests with Playwright) and ends with one line `N passed, N failed`.
//   npm test -- api     only the API suites (jest args may follow: npm test -- api src/auth)
//   npm test -- web     only the console unit tests
//   npm test -- e2e     only the browser tests
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [only, ...rest] = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };
let broken = false;

function run(command, args, { capture = false, env = {} } = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, TZ: 'UTC', ...env },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (capture) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk) => {
          output += chunk;
          process.stdout.write(chunk);
        });
      }
    }
    child.on('exit', (code) => resolveRun({ code: code ?? 1, output }));
  });
}

function record(name, passed, failed, code) {
  totals.passed += passed;
  totals.failed += failed;
  // A runner that failed without a failing test (crash, compile error) still fails the run.
  if (code !== 0 && failed === 0) broken = true;
  process.stdout.write(`\n[${name}] ${passed} passed, ${failed} failed (exit ${code})\n\n`);
}

async function api() {
  const report = join(mkdtempSync(join(tmpdir(), 'taskdeck-jest-')), 'report.json');
  const { code } = await run('npx', [
    'jest',
    '--config',
    'apps/api/jest.config.js',
    '--json',
    `--outputFile=${report}`,
    ...rest,
  ]);
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed = result.numPassedTests;
    failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
  }
  record('api', passed, failed, code);
}

async function web() {
  const { code, output } = await run('npx', ['ng', 'test', 'web', '--watch=false'], {
    capture: true,
    env: { NG_CLI_ANALYTICS: 'false', CI: 'true' },
  });
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const line =
    plain
      .split('\n')
      .reverse()
      .find((l) => /^\s*Tests\s+/.test(l)) ?? '';
  const passed = Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
  const failed = Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
  record('web', passed, failed, code);
}

async function e2e() {
  const { code, output } = await run('node', ['apps/web/e2e/run.mjs'], { capture: true });
  const match = /^e2e: (\d+) passed, (\d+) failed$/m.exec(output);
  record('e2e', Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), code);
}

const hasConsole = existsSync(join(root, 'angular.json'));
const all = hasConsole ? ['api', 'web', 'e2e'] : ['api'];
const wanted = only && ['api', 'web', 'e2e'].includes(only) ? [only] : all;
if (!only || only === 'e2e' || only === 'api') {
  const build = await run('npm', ['run', wanted.includes('e2e') ? 'build' : 'build:api']);
  if (build.code !== 0) {
    process.stdout.write('\nthe build failed\n0 passed, 1 failed\n');
    process.exit(1);
  }
}
if (wanted.includes('api')) await api();
if (wanted.includes('web')) await web();
if (wanted.includes('e2e')) await e2e();

process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
