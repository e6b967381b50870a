// Browser tests: Playwright (playwright-core) driving Chromium against the real server. The browser
// is the API's own choice (common/browser/chromium.ts): CHROMIUM_PATH, /usr/bin/chromium, or the one
// inside @sparticuz/chromium. Prints `e2e: N passed, N failed` last. Screenshots for the README land
// in docs/img/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ADMIN, ROOT, TaskdeckServer, freePort } from './server.mjs';
import { llmSteps } from './llm.mjs';
import { pluginSteps } from './plugins.mjs';
import { storageSteps } from './storage.mjs';
import { supersetSteps } from './superset.mjs';
import { gitSteps } from './git.mjs';

const { resolveChromium, HEADLESS_CHROMIUM_ARGS } = await import(
  pathToFileURL(join(ROOT, 'dist/api/apps/api/src/common/browser/chromium.js')).href
);
const IMG = join(ROOT, 'docs/img');
const results = [];

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  ✕ ${name}\n    ${String(error?.stack ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n    ')}`,
    );
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function domSeqs(page) {
  return page.$$eval('[data-testid="log-row"]', (rows) =>
    rows.map((r) => Number(r.getAttribute('data-seq'))),
  );
}

async function login(page, url, username, password) {
  await page.goto(`${url}/login`);
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/tasks/);
}

const server = new TaskdeckServer(await freePort());
mkdirSync(IMG, { recursive: true });
let browser;
try {
  await server.start();
  const adminToken = await server.token(ADMIN.username, ADMIN.password);
  await server.api(
    'POST',
    '/api/users',
    { username: 'viewer', password: 'viewer-password', role: 'viewer' },
    adminToken,
  );
  await server.api('PATCH', '/api/settings/logging', { taskLogLevel: 'DEBUG' }, adminToken);

  const browserFound = await resolveChromium();
  console.log(`e2e: Chromium from ${browserFound.source} (${browserFound.executablePath})`);
  browser = await chromium.launch({
    executablePath: browserFound.executablePath,
    headless: true,
    args: HEADLESS_CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // Whatever the console does must run under the server's Content Security Policy.
  const cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  let taskUrl = '';

  console.log('e2e: console against the real server');
  await step('logs in and lands on the tasks page', async () => {
    await login(page, server.url, ADMIN.username, ADMIN.password);
    await page.waitForSelector('h1:has-text("Tasks")');
  });

  await step(
    'runs a debug emit from the generated form and sees its lines arrive live',
    async () => {
      await page.click('[data-testid="nav-run"]');
      await page.selectOption('[data-testid="plugin-select"]', 'debug');
      await page.selectOption('[data-testid="param-action"]', 'emit');
      await page.fill('[data-testid="param-count"]', '');
      await page.click('[data-testid="run-submit"]');
      await page.waitForSelector('text=Count is required');
      await page.fill('[data-testid="param-count"]', '4000');
      await page.fill('[data-testid="param-sources"]', 'alpha, beta');
      await page.fill('[data-testid="param-intervalMs"]', '2');
      await page.click('[data-testid="run-submit"]');
      await page.waitForURL(/\/tasks\/[0-9a-f-]{36}/);
      taskUrl = page.url();
      await page.waitForSelector('[data-testid="log-row"]');
      const first = (await domSeqs(page)).at(-1);
      await page.waitForFunction((seq) => {
        const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
        return Number(rows.at(-1)?.getAttribute('data-seq')) > seq + 20;
      }, first);
      assert(
        (await page.textContent('[data-testid="connection-state"]')).includes('Live'),
        'not Live',
      );
      await page.screenshot({ path: join(IMG, 'task-live-log.png') });
    },
  );

  await step('filters to one source on the server: only its rows are in the DOM', async () => {
    await page.check('[data-testid="filter-source-beta"]');
    await page.waitForURL(/source=beta/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-source') === 'beta');
    });
    await page.waitForTimeout(600); // live lines keep arriving
    const sources = await page.$$eval('[data-testid="log-row"]', (rows) =>
      rows.map((r) => r.getAttribute('data-source')),
    );
    assert(
      sources.length > 0 && sources.every((s) => s === 'beta'),
      `other sources shown: ${[...new Set(sources)]}`,
    );
  });

  await step('searches the messages', async () => {
    await page.fill('[data-testid="filter-search"]', '#12');
    await page.waitForURL(/q=%2312|q=#12/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
      return rows.length > 0 && rows.every((r) => r.textContent.includes('#12'));
    });
  });

  await step('a reload keeps the filters and the history', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid="log-row"]');
    assert((await page.inputValue('[data-testid="filter-search"]')) === '#12', 'search lost');
    assert(await page.isChecked('[data-testid="filter-source-beta"]'), 'source filter lost');
    const rows = await page.$$eval('[data-testid="log-row"]', (r) =>
      r.map((x) => [x.getAttribute('data-source'), x.textContent]),
    );
    assert(
      rows.every(([s, t]) => s === 'beta' && t.includes('#12')),
      'rows do not match the filters after reload',
    );
    await page.click('[data-testid="filter-clear"]');
    await page.waitForFunction(() => !location.search.includes('source='));
  });

  await step(
    'restarting the server shows Reconnecting…, then Live, with no duplicate seq',
    async () => {
      const task = await server.api(
        'POST',
        '/api/tasks',
        {
          pluginId: 'debug',
          params: { action: 'emit', count: 100000, intervalMs: 2, sources: ['gamma'] },
        },
        adminToken,
      );
      await page.goto(`${server.url}/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="log-row"]');
      await server.stop();
      await page.waitForSelector('[data-testid="connection-state"]:has-text("Reconnecting")', {
        timeout: 15_000,
      });
      await page.screenshot({ path: join(IMG, 'reconnecting.png') });
      await server.start();
      await page.waitForSelector('[data-testid="connection-state"]:has-text("Live")', {
        timeout: 30_000,
      });
      // The task was cancelled by the shutdown; the log the page holds has each seq once.
      await page.waitForTimeout(1000);
      const seqs = await domSeqs(page);
      assert(seqs.length > 0, 'no rows after reconnect');
      assert(new Set(seqs).size === seqs.length, `duplicate seqs in the DOM: ${seqs.join(',')}`);
      assert(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
        'rows out of order',
      );
    },
  );

  await step('an admin raises the task log level; a new task stores no lower entries', async () => {
    await page.click('[data-testid="nav-settings"]');
    await page.selectOption('[data-testid="settings-task-level"]', 'WARNING');
    await page.click('[data-testid="settings-save"]');
    await page.waitForSelector('[data-testid="settings-saved"]');
    await page.screenshot({ path: join(IMG, 'settings.png') });
    const token = await server.token(ADMIN.username, ADMIN.password);
    const task = await server.api(
      'POST',
      '/api/tasks',
      { pluginId: 'debug', params: { action: 'emit', count: 200 } },
      token,
    );
    for (let i = 0; i < 100; i++) {
      if ((await server.api('GET', `/api/tasks/${task.id}`, undefined, token)).status === 'SUCCESS')
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const stats = await server.api('GET', `/api/tasks/${task.id}/logs/stats`, undefined, token);
    assert(
      stats.total > 0 && stats.byLevel.DEBUG === 0 && stats.byLevel.INFO === 0,
      `stored lower entries: ${JSON.stringify(stats)}`,
    );
    await page.goto(`${server.url}/tasks/${task.id}`);
    await page.waitForSelector('[data-testid="log-row"]');
    const levels = await page.$$eval('[data-testid="log-row"]', (rows) =>
      rows.map((r) => r.className),
    );
    assert(
      levels.every((c) => c.includes('level-WARNING') || c.includes('level-ERROR')),
      'a lower level is shown',
    );
  });

  await step(
    'a 100,000-line log keeps a small DOM and loads older lines when scrolled up',
    async () => {
      // The task log level is WARNING now: of 200,000 emitted entries, 100,000 are stored.
      const token = await server.token(ADMIN.username, ADMIN.password);
      const task = await server.api(
        'POST',
        '/api/tasks',
        { pluginId: 'debug', params: { action: 'emit', count: 200000, sources: ['bulk'] } },
        token,
      );
      for (let i = 0; i < 600; i++) {
        if (
          (await server.api('GET', `/api/tasks/${task.id}`, undefined, token)).status === 'SUCCESS'
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.goto(`${server.url}/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="log-row"]');
      const tail = await domSeqs(page);
      assert(tail.at(-1) === 100000, `the tail is not shown first: last seq ${tail.at(-1)}`);
      assert(tail.length < 150, `${tail.length} rows in the DOM: not virtualised`);
      const firstHeld = async () =>
        Number(/#(\d+)–/.exec(await page.textContent('[data-testid="log-summary"]'))?.[1]);
      const before = await firstHeld();
      await page.$eval('[data-testid="log-list"]', (el) => el.scrollTo({ top: 0 }));
      await page.waitForFunction(
        (seq) =>
          Number(
            /#(\d+)–/.exec(
              document.querySelector('[data-testid="log-summary"]')?.textContent ?? '',
            )?.[1],
          ) < seq,
        before,
      );
      assert((await domSeqs(page)).length < 150, 'the DOM grew with the history');
    },
  );

  await step(
    '2,000 lines a second arrive live in order, once each, with a bounded DOM',
    async () => {
      const token = await server.token(ADMIN.username, ADMIN.password);
      const task = await server.api(
        'POST',
        '/api/tasks',
        {
          pluginId: 'debug',
          params: { action: 'emit', count: 8000, ratePerSecond: 2000, sources: ['fast'] },
        },
        token,
      );
      await page.goto(`${server.url}/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="connection-state"]:has-text("Live")');
      // Half the entries (WARNING and ERROR) are stored: the last one is seq 4,000.
      await page.waitForFunction(
        () => {
          const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
          return Number(rows.at(-1)?.getAttribute('data-seq')) === 4000;
        },
        undefined,
        { timeout: 30_000 },
      );
      const seqs = await domSeqs(page);
      assert(seqs.length < 150, `${seqs.length} rows in the DOM`);
      assert(
        seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1),
        'a gap or a duplicate among the rows shown',
      );
      const summary = await page.textContent('[data-testid="log-summary"]');
      assert(
        /4000 lines shown/.test(summary.replace(/,/g, '')),
        `the panel does not hold every line: ${summary}`,
      );
    },
  );

  await step('the tasks page lists tasks with their status', async () => {
    await page.goto(`${server.url}/tasks`);
    await page.waitForSelector('[data-testid="task-row"]');
    await page.screenshot({ path: join(IMG, 'tasks.png') });
  });

  await step('on a narrow screen the pages fit the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/tasks', new URL(taskUrl).pathname, '/tasks/new', '/admin/settings']) {
        await page.goto(`${server.url}${path}`);
        await page.waitForSelector('h1');
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert(overflow <= 1, `${path} is ${overflow}px wider than the screen`);
      }
      await page.goto(taskUrl);
      await page.waitForSelector('[data-testid="log-row"]');
      await page.screenshot({ path: join(IMG, 'narrow.png') });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  await supersetSteps({ browser, server, step, assert, login, admin: ADMIN, img: IMG });
  await pluginSteps({ browser, server, step, assert, login, admin: ADMIN, img: IMG });
  await gitSteps({ browser, server, step, assert, login, admin: ADMIN, img: IMG });
  await llmSteps({ browser, server, step, assert, login, admin: ADMIN, img: IMG });
  await storageSteps({ browser, server, step, assert, login, admin: ADMIN, img: IMG });

  await step('a viewer sees no settings link and no run button', async () => {
    await page.click('[data-testid="logout"]');
    await login(page, server.url, 'viewer', 'viewer-password');
    await page.waitForSelector('[data-testid="task-row"]');
    assert(
      (await page.$('[data-testid="nav-settings"]')) === null,
      'settings link shown to a viewer',
    );
    assert((await page.$('[data-testid="run-task"]')) === null, 'run button shown to a viewer');
    assert((await page.$('[data-testid="nav-run"]')) === null, 'run link shown to a viewer');
    await page.goto(taskUrl);
    await page.waitForSelector('[data-testid="task-status"]');
    assert((await page.$('[data-testid="cancel-task"]')) === null, 'cancel shown to a viewer');
    assert((await page.$('[data-testid="delete-task"]')) === null, 'delete shown to a viewer');
  });
  await step('an admin changes a user’s role in the console; the server applies it', async () => {
    await page.click('[data-testid="logout"]');
    await login(page, server.url, ADMIN.username, ADMIN.password);
    const token = await server.token(ADMIN.username, ADMIN.password);
    await server.api(
      'POST',
      '/api/users',
      { username: 'eve', password: 'eve-password', role: 'viewer' },
      token,
    );
    await page.goto(`${server.url}/admin/users`);
    const row = '[data-testid="user-row"][data-username="eve"]';
    await page.selectOption(`${row} [data-testid="user-role-select"]`, 'operator');
    await page.waitForSelector('[data-testid="user-action-done"]');
    const users = await server.api('GET', '/api/users', undefined, token);
    assert(users.find((u) => u.username === 'eve')?.role === 'operator', 'role not stored');
    await page.screenshot({ path: join(IMG, 'users.png') });
  });

  await step('a disabled user’s open console goes to the login page, which says why', async () => {
    await page.click('[data-testid="logout"]');
    await login(page, server.url, 'eve', 'eve-password');
    const token = await server.token(ADMIN.username, ADMIN.password);
    const eve = (await server.api('GET', '/api/users', undefined, token)).find(
      (u) => u.username === 'eve',
    );
    await server.api('PATCH', `/api/users/${eve.id}`, { disabled: true }, token);
    // Nobody touches the page: the server closes her live socket at once, the console reconnects
    // a second later and is refused (a click here used to race that and lose).
    await page.waitForURL(/\/login/, { timeout: 15_000 });
    const notice = await page.textContent('[data-testid="login-notice"]');
    assert(/session ended/i.test(notice ?? ''), `no reason shown: ${notice}`);
  });

  await step('the console runs under its Content Security Policy (no inline script)', async () => {
    assert(cspViolations.length === 0, `CSP violations:\n${cspViolations.join('\n')}`);
  });
} catch (error) {
  results.push({ name: 'setup', ok: false });
  console.log(`  ✕ setup: ${error?.stack ?? error}\n${server.output.slice(-2000)}`);
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop().catch(() => undefined);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
