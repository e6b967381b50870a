// The "browser" screenshot: a headless Chromium (playwright-core; the Chromium that
// common/browser/chromium.ts resolves) logs into the environment's Superset UI with its form, opens
// the dashboard, waits until the charts have rendered (no spinner left, within a bounded wait) and
// takes a full-page PNG. Every step is logged under `screenshot` with its duration; the password is
// typed into the form and never logged.
import { chromium, type Browser, type Page } from 'playwright-core';
import { HEADLESS_CHROMIUM_ARGS, resolveChromium } from '../../common/browser/chromium';
import type { TaskLogger } from '../../plugin-api';
import type { SupersetConnection } from '../../superset/client/superset-client';

export interface BrowserScreenshotOptions {
  logger: TaskLogger;
  signal: AbortSignal;
  /** How long the charts may take to render before the screenshot is taken anyway. */
  renderTimeoutMs?: number;
  viewport?: { width: number; height: number };
}

/** What Superset shows while a chart loads (its spinner, antd's spin). */
const SPINNERS = '.loading, [data-test="loading-indicator"], .ant-spin-spinning';
/** What a dashboard page shows once its layout is there. */
const DASHBOARD =
  '.dashboard-component-chart-holder, [data-test="dashboard-content-wrapper"], .dashboard';
/** Chart holders that show an error instead of a chart. */
const CHART_ERRORS =
  '.dashboard-component-chart-holder .alert-danger, .dashboard-component-chart-holder [role="alert"]';

export interface BrowserScreenshot {
  png: Buffer;
  /** Texts of error messages the page showed inside charts. */
  pageErrors: string[];
  settled: boolean;
}

export async function browserScreenshot(
  connection: SupersetConnection,
  dashboardId: number,
  options: BrowserScreenshotOptions,
): Promise<BrowserScreenshot> {
  const log = options.logger.withSource('screenshot');
  const base = connection.url.replace(/\/+$/, '');
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    options.signal.throwIfAborted();
    const started = performance.now();
    try {
      const value = await run();
      const ms = Math.round(performance.now() - started);
      log.info(`${what} (${ms} ms)`, { step: what, ms });
      return value;
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      log.error(`${what} failed after ${ms} ms: ${(error as Error).message}`, { step: what, ms });
      throw error;
    }
  };

  const resolved = await step('resolve Chromium', () => resolveChromium());
  log.debug(`Chromium: ${resolved.executablePath} (${resolved.source})`);
  const browser: Browser = await step('launch Chromium', () =>
    chromium.launch({ executablePath: resolved.executablePath, args: HEADLESS_CHROMIUM_ARGS }),
  );
  const abort = (): void => void browser.close().catch(() => undefined);
  options.signal.addEventListener('abort', abort, { once: true });
  try {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      ignoreHTTPSErrors: !connection.verifyTls,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await step(`log in at ${base}/login/ as ${connection.username}`, () =>
      login(page, base, connection),
    );
    const url = `${base}/superset/dashboard/${dashboardId}/?standalone=1`;
    await step(`open dashboard ${dashboardId}`, async () => {
      for (let attempt = 1; ; attempt++) {
        const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
        if (response && response.status() >= 400) {
          throw new Error(`${url} answered ${response.status()}`);
        }
        if (!new URL(page.url()).pathname.startsWith('/login')) break;
        if (attempt === 2) throw new Error('Superset sent the browser back to the login page');
        // The session was not there yet (or was refused once): log in again, then retry.
        log.warning('Superset sent the browser back to the login page; logging in again');
        await login(page, base, connection);
      }
      await page.waitForSelector(DASHBOARD, { state: 'attached', timeout: 30_000 });
    });
    const renderTimeoutMs = options.renderTimeoutMs ?? 60_000;
    const settled = await step('wait for the charts to render', () =>
      waitForCharts(page, renderTimeoutMs),
    );
    if (!settled) {
      log.warning(
        `charts still loading after ${Math.round(renderTimeoutMs / 1000)} s: taking the screenshot anyway`,
      );
    }
    const pageErrors = await page
      .locator(CHART_ERRORS)
      .allInnerTexts()
      .then((texts) => texts.map((t) => t.trim()).filter(Boolean))
      .catch(() => []);
    const png = await step('full-page screenshot', () =>
      page.screenshot({ fullPage: true, type: 'png' }),
    );
    return { png, pageErrors, settled };
  } finally {
    options.signal.removeEventListener('abort', abort);
    await browser.close().catch(() => undefined);
  }
}

async function login(page: Page, base: string, connection: SupersetConnection): Promise<void> {
  await page.goto(`${base}/login/`, { waitUntil: 'domcontentloaded' });
  const username = page.locator('input[name="username"], input#username').first();
  const password = page.locator('input[name="password"], input#password').first();
  await username.fill(connection.username);
  await password.fill(connection.password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 }),
    password.press('Enter'),
  ]).catch(async (error: Error) => {
    const message = await page
      .locator('.alert, [role="alert"], .ant-alert-message')
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => '');
    throw new Error(
      message.trim()
        ? `the login form said: ${message.trim()}`
        : `the login did not leave the login page (${error.message.split('\n')[0]})`,
    );
  });
}

/** True once no spinner has been visible for two checks in a row; false after `timeoutMs`. */
async function waitForCharts(page: Page, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const spinning = await page
      .locator(SPINNERS)
      .evaluateAll(
        (els) => els.filter((e) => (e as { offsetParent: unknown }).offsetParent !== null).length,
      );
    quiet = spinning === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return true;
    await page.waitForTimeout(250);
  }
  return false;
}
