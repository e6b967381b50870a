// The dashboard-validation run on real Superset A's seeded dashboard, screenshot by the browser
// (a real Chromium logging into Superset's UI), the LLM the fake: a real PNG of the rendered
// dashboard reaches the model as an image part, with each chart's data status in the summary.
import { PNG } from 'pngjs';
import { LlmClient } from '../../src/llm/llm-client';
import type { TaskContext } from '../../src/plugin-api';
import { browserScreenshot } from '../../src/plugins/dashboard-validation/browser-screenshot';
import { runValidation } from '../../src/plugins/dashboard-validation/validation-run';
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

  it('screenshots the rendered dashboard and sends it with the charts’ data status', async () => {
    const logger = recordingLogger([], 'dashboard-validation');
    const client = clientFor(a.connection, logger.lines);
    const signal = new AbortController().signal;
    const context: TaskContext = {
      taskId: 'superset-tier',
      params: {},
      logger,
      signal,
      progress: () => undefined,
      yield: () => Promise.resolve(),
    };
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
        browser: (dashboardId) =>
          browserScreenshot(a.connection, dashboardId, { logger, signal, renderTimeoutMs: 60_000 }),
        store: async (path, png) => {
          stored = png;
          return path;
        },
      },
      { environmentId: 'a', dashboardId: a.seed.dashboardId },
      context,
    );
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
});
