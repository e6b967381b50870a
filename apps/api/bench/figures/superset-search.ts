// Figure: the search plugin across 2,000 datasets of a fake Superset with 20 ms of latency per
// request: details fetched by 4 consumers (at most 4 requests in flight) against the same search
// with one consumer (each detail after the other), in the same run on the same fake.
import type { SearchResult } from '@taskdeck/contracts';
import { searchEnvironment } from '../../src/plugins/search/search-run';
import { SupersetClient } from '../../src/superset/client/superset-client';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import type { TaskLogger } from '../../src/plugin-api';
import { FakeSuperset, FAKE_ADMIN } from '../../test/fakes/superset';
import { alternate } from '../lib/alternate';
import { figure, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';

const DATASETS = 2000;
const LATENCY_MS = 20;
const MAX_IN_FLIGHT = 4;
const PATTERN = 'created_at|amount';

const silent: TaskLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  withSource: () => silent,
};

export async function supersetSearchFigure(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const fake = await FakeSuperset.start({ latencyMs: LATENCY_MS });
  try {
    fake.store.seed({ databases: 4, datasets: DATASETS });
    const client = new SupersetClient(
      {
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
        provider: 'db',
        verifyTls: true,
      },
      { logger: silent, maxInFlight: MAX_IN_FLIGHT },
    );
    const { context } = recordingTaskContext({ taskId: 'bench', logger: silent });
    const run = async (concurrency: number): Promise<number> => {
      const started = performance.now();
      const result: SearchResult = await searchEnvironment(
        client,
        { environmentId: 'bench', pattern: PATTERN },
        context,
        { concurrency },
      );
      const ms = performance.now() - started;
      // Every seeded dataset has a created_at column: one match each at least.
      if (result.count < DATASETS) {
        throw new Error(`found ${result.count} matches in ${DATASETS} datasets`);
      }
      return ms;
    };
    await client.login();
    const reps = options.quick ? 1 : 3;
    let peak = 0;
    const { values, baseline } = await alternate(
      reps,
      () => run(MAX_IN_FLIGHT),
      () => run(1),
      {
        before: () => fake.resetStats(),
        after: () => (peak = Math.max(peak, fake.peakInFlight)),
      },
    );
    log(
      `  superset search: ${values.map((v) => v.toFixed(0)).join(', ')} ms vs ${baseline.map((v) => v.toFixed(0)).join(', ')} ms; peak ${peak} in flight`,
    );
    return [
      figure({
        id: 'superset-search',
        title: `search across ${DATASETS.toLocaleString('en')} datasets, ${LATENCY_MS} ms per request (fake Superset)`,
        unit: 'ms',
        values,
        baselineTitle: 'sequential detail fetches (one consumer)',
        baselineValues: baseline,
        target: `≤ 0.35× baseline, ≤ ${MAX_IN_FLIGHT} in flight`,
        judge: (_value, _baseline, ratio) =>
          ratio !== null && ratio <= 0.35 && peak <= MAX_IN_FLIGHT,
        notes: [
          `searchEnvironment (the plugin's run) with /${PATTERN}/i over SQL, columns and metrics: the dataset list (20 pages of 100), then one detail request per dataset, matched in the regex worker`,
          `${MAX_IN_FLIGHT} consumers against 1, the same client (limiter ${MAX_IN_FLIGHT}); ideal ratio ≈ 0.25 plus the shared list time`,
          `most requests in flight at the fake Superset during the parallel runs: ${peak}`,
        ],
        details: { peakInFlight: peak, datasets: DATASETS, latencyMs: LATENCY_MS },
      }),
    ];
  } finally {
    await fake.stop();
  }
}
