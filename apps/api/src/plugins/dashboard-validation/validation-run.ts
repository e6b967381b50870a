// The dashboard-validation plugin's run: the dashboard and its charts' data status and Superset's
// log from the API (`superset_api`), a screenshot (`screenshot`: the browser, or Superset's own
// API) stored under screenshots/<env>/, then the multimodal model's verdict (`llm`) on the image and
// a compact summary. What the plugin decides goes to its default source, `dashboard-validation`.
import type { DashboardValidationResult } from '@taskdeck/contracts';
import { LlmAnswerError, type LlmClient } from '../../llm/llm-client';
import { TaskFailure, type TaskContext } from '../../plugin-api';
import type { SupersetClient, SupersetConnection } from '../../superset/client/superset-client';
import type { ActionLogEntry } from '../../superset/client/superset-types';
import type { BrowserScreenshot } from './browser-screenshot';
import type { ScreenshotStrategy, ValidationParams } from './validation-params';
import {
  logFacts,
  mergeVerdict,
  pngSize,
  summaryText,
  VALIDATION_SYSTEM_PROMPT,
  VERDICT_SCHEMA,
  type ChartFact,
  type LogFacts,
  type ValidationVerdict,
} from './validation-summary';

export interface ValidationSides {
  client: SupersetClient;
  connection: SupersetConnection & { name: string };
  llm: () => Promise<LlmClient>;
  browser: (dashboardId: number) => Promise<BrowserScreenshot>;
  /** Stores the PNG at the relative path; answers the stored path. */
  store: (relativePath: string, png: Buffer) => Promise<string>;
  now?: () => Date;
  /** Superset screenshot polling: every `pollMs`, at most `waitMs`. */
  pollMs?: number;
  waitMs?: number;
}

export async function runValidation(
  sides: ValidationSides,
  params: ValidationParams,
  context: TaskContext,
): Promise<DashboardValidationResult> {
  const { client } = sides;
  const log = context.logger;
  const strategy: ScreenshotStrategy = params.strategy ?? 'browser';
  const now = sides.now?.() ?? new Date();
  const detail = await client.dashboard(params.dashboardId);
  const dashboard = { id: detail.id, title: String(detail.dashboard_title ?? detail.id) };
  const charts = await client.dashboardCharts(dashboard.id);
  log.info(
    `dashboard ${dashboard.id} "${dashboard.title}": ${charts.length} chart(s); screenshot by ${strategy}`,
  );
  context.progress(5);

  const facts: ChartFact[] = [];
  for (const chart of charts) {
    context.signal.throwIfAborted();
    const status = await client.chartDataStatus(chart.id);
    // Superset can only replay a chart's query if it was saved with one (charts made by the API
    // or by old versions were not): that is no failure of the chart, only nothing to check.
    if (!status.ok && status.status === 400 && /no query context/i.test(status.error ?? '')) {
      log.info(`chart "${chart.slice_name}" (${chart.id}): data not checked: ${status.error}`);
      facts.push({
        id: chart.id,
        name: chart.slice_name,
        vizType: chart.viz_type ?? (chart.form_data?.viz_type as string | undefined),
        ok: true,
        status: status.status,
        unchecked: 'saved without a query context',
      });
      continue;
    }
    facts.push({
      id: chart.id,
      name: chart.slice_name,
      vizType: chart.viz_type ?? (chart.form_data?.viz_type as string | undefined),
      ok: status.ok,
      status: status.status,
      rows: status.rows,
      error: status.error,
    });
    if (!status.ok) {
      log.warning(
        `chart "${chart.slice_name}" (${chart.id}): data request failed (${status.status}): ${status.error}`,
        {
          chartId: chart.id,
          status: status.status,
        },
      );
    }
  }
  context.progress(20);

  let logSummary: LogFacts | undefined;
  try {
    const entries: ActionLogEntry[] = await client.actionLog(1000);
    logSummary = logFacts(entries, dashboard.id, new Set(charts.map((c) => c.id)), now);
    log.info(
      `Superset's log, last 24 h: ${logSummary.entries} entries about the dashboard, ${logSummary.errors.length} error(s)`,
    );
  } catch (error) {
    if (context.signal.aborted) throw error;
    log.warning(`Superset's log could not be read: ${(error as Error).message}`);
  }
  context.progress(25);

  const png =
    strategy === 'browser'
      ? await fromBrowser(sides, dashboard.id, context)
      : await fromSuperset(sides, dashboard.id, context);
  const size = pngSize(png);
  if (!size) throw new Error('the screenshot is not a PNG');
  const relative = `screenshots/${pathSegment(sides.connection.name)}/${dashboard.id}-${stamp(now)}.png`;
  const screenshotPath = await sides.store(relative, png);
  log
    .withSource('screenshot')
    .info(`stored ${screenshotPath} (${size.width}×${size.height}, ${png.length} bytes)`, {
      path: screenshotPath,
      bytes: png.length,
      ...size,
    });
  context.progress(70);

  const summary = summaryText(dashboard, facts, logSummary, size);
  const chartErrors = facts
    .filter((f) => !f.ok)
    .map((f) => ({ chartId: f.id, chart: f.name, error: f.error ?? `HTTP ${f.status}` }));
  const base = { screenshotPath, strategy, dashboard, chartErrors, summary };
  const llm = await sides.llm();
  let verdict: ValidationVerdict;
  try {
    verdict = await llm.json<ValidationVerdict>({
      purpose: 'dashboard validation',
      system: VALIDATION_SYSTEM_PROMPT,
      user: [
        { type: 'text', text: summary },
        { type: 'image', mimeType: 'image/png', data: png },
      ],
      schema: VERDICT_SCHEMA,
      schemaName: 'dashboard_verdict',
    });
  } catch (error) {
    if (error instanceof LlmAnswerError) {
      throw new TaskFailure(error.message, { ...base, rawAnswer: error.rawAnswer });
    }
    throw error;
  }
  const merged = mergeVerdict(verdict, facts);
  if (merged.status !== verdict.status) {
    log.info(
      `the model said ${verdict.status}; ${chartErrors.length} chart(s) failed their data request: ${merged.status}`,
    );
  }
  const line = `verdict: ${merged.status}, ${merged.issues.length} issue(s)`;
  if (merged.status === 'PASS') log.info(line, { status: merged.status });
  else log.warning(line, { status: merged.status, issues: merged.issues });
  for (const issue of merged.issues) {
    log.info(`${issue.severity} at ${issue.location || 'dashboard'}: ${issue.message}`, {
      ...issue,
    });
  }
  context.progress(100);
  return { status: merged.status, issues: merged.issues, ...base };
}

async function fromBrowser(
  sides: ValidationSides,
  dashboardId: number,
  context: TaskContext,
): Promise<Buffer> {
  const shot = await sides.browser(dashboardId);
  for (const text of shot.pageErrors) {
    context.logger
      .withSource('screenshot')
      .warning(`a chart shows an error: ${text.slice(0, 300)}`);
  }
  return shot.png;
}

async function fromSuperset(
  sides: ValidationSides,
  dashboardId: number,
  context: TaskContext,
): Promise<Buffer> {
  const log = context.logger.withSource('screenshot');
  const started = performance.now();
  const key = await sides.client.cacheDashboardScreenshot(dashboardId);
  if (key === undefined) {
    throw new Error(
      `Superset's screenshot API is not enabled at ${sides.client.url} (it needs the feature flag ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS, with THUMBNAILS and a Celery worker); use strategy "browser" instead`,
    );
  }
  log.info(`Superset is rendering the screenshot (cache key ${key})`);
  const pollMs = sides.pollMs ?? 2000;
  const deadline = Date.now() + (sides.waitMs ?? 120_000);
  for (let polls = 1; ; polls++) {
    context.signal.throwIfAborted();
    const png = await sides.client.dashboardScreenshot(dashboardId, key);
    if (png) {
      log.info(
        `Superset's screenshot is ready after ${polls} poll(s) (${Math.round(performance.now() - started)} ms)`,
        {
          polls,
          ms: Math.round(performance.now() - started),
        },
      );
      return png;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Superset's screenshot was not ready after ${Math.round((sides.waitMs ?? 120_000) / 1000)} s (is its Celery worker running?)`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** A file-name-safe form of the environment's name. */
export function pathSegment(name: string): string {
  const safe = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '');
  return safe || 'environment';
}

/** `2026-12-01T10-00-00-123Z`: sortable and free of colons. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
