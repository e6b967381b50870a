// The dashboard-validation run on real Superset A's seeded dashboard, screenshot by the browser
// (a real Chromium logging into Superset's UI), the LLM the fake: a real PNG of the rendered
// dashboard reaches the model as an image part, with each chart's data status in the summary. The
// seed's second dashboard has a chart on a virtual dataset whose SQL errors: the run fails and the
// summary and result name that chart.
import { PNG } from 'pngjs';
import { LlmClient } from '../../src/llm/llm-client';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { browserScreenshot } from '../../src/plugins/dashboard-validation/browser-screenshot';
import { runValidation } from '../../src/plugins/dashboard-validation/validation-run';
import { MISSING_TABLE } from '../../../../scripts/superset/seed';
import { FakeLlm, imagesIn, promptText } from '../fakes/llm/fake-llm';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

describe('dashboard-validation on Superset A', () => {
  const a = instance('a');
  let llm: FakeLlm;

  beforeAll(async () => {
    llm = await FakeLlm.start();
    llm.defaultAnswer = JSON.stringify({ status: 'PASS', issues: [] });
  });
  afterAll(() => llm?.stop());

  /** The real run on dashboard `dashboardId` of A, the browser's PNG kept as `stored`. */
  async function validate(dashboardId: number) {
    const logger = recordingLogger([], 'dashboard-validation');
    const client = clientFor(a.connection, logger.lines);
    const signal = new AbortController().signal;
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger, signal });
    let stored: Buffer | undefined;
    const result = await runValidation(
      {
        client,
        connection: { ...a.connection, name: 'A' },
        llm: async () =>
          new LlmClient(
            { name: 'fake', baseUrl: llm.baseUrl, model: 'gpt-vision-fake' },
            { logger, timeoutMs: 10_000, tries: 3, maxRetryAfterMs: 5000, debugChars: 4096 },
          ),
        browser: (id) =>
          browserScreenshot(a.connection, id, { logger, signal, renderTimeoutMs: 60_000 }),
        store: async (path, png) => {
          stored = png;
          return path;
        },
      },
      { environmentId: 'a', dashboardId },
      context,
    );
    return { result, logger, stored };
  }

  it('screenshots the rendered dashboard and sends it with the charts’ data status', async () => {
    const { result, logger, stored } = await validate(a.seed.dashboardId);
    expect(result.status).toBe('PASS');
    const png = PNG.sync.read(stored!);
    expect(png.width).toBe(1600);
    expect(png.height).toBeGreaterThan(300);
    const sent = PNG.sync.read(imagesIn(llm.chatRequests().at(-1)!.body)[0].data);
    expect([sent.width, sent.height]).toEqual([png.width, png.height]);
    // The seeded charts were made through the API, without a saved query context: not checked,
    // and no failure for that.
    expect(promptText(llm.chatRequests().at(-1)!.body)).toMatch(
      /Charts \(3\):\n- "Orders" \(id \d+, table\): data not checked \(saved without a query context\)/,
    );
    expect(result.chartErrors).toEqual([]);
    expect(
      logger.lines.some((l) => l.source === 'screenshot' && /full-page screenshot/.test(l.message)),
    ).toBe(true);
  });

  it('fails the dashboard with a broken chart and names that chart, the working one checked', async () => {
    const broken = a.seed.broken!;
    const { result, logger } = await validate(broken.dashboardId);
    // The model said PASS; a chart whose data request failed overrules it.
    expect(result.status).toBe('FAIL');
    expect(result.chartErrors).toEqual([
      {
        chartId: broken.chartId,
        chart: broken.chartName,
        error: expect.stringContaining(`relation "public.${MISSING_TABLE}" does not exist`),
      },
    ]);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ severity: 'error', location: broken.chartName }),
    );
    const prompt = promptText(llm.chatRequests().at(-1)!.body);
    // The summary the model got names the broken chart with Superset's error, and the working one.
    expect(prompt).toContain(result.summary);
    expect(result.summary).toContain('Charts (2):');
    expect(result.summary).toContain(
      `- "${broken.chartName}" (id ${broken.chartId}, table): DATA REQUEST FAILED (HTTP 400): `,
    );
    expect(result.summary).toContain(
      `- "${broken.workingChartName}" (id ${broken.workingChartId}, table): data OK (2 rows)`,
    );
    expect(
      logger.lines.some(
        (l) =>
          l.level === 'WARNING' &&
          l.message.startsWith(
            `chart "${broken.chartName}" (${broken.chartId}): data request failed`,
          ),
      ),
    ).toBe(true);
  });
});
