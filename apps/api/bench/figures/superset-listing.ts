// Figure: listing 2,000 dashboards from a fake Superset with 20 ms of latency per request, the
// SupersetClient's way (page 0 gives the count, the other 19 pages go in parallel, at most 4 in
// flight to one Superset) against the sequential page walk, in the same run on the same server.
import { walkPages } from '../../src/superset/client/superset-pages';
import { SupersetClient } from '../../src/superset/client/superset-client';
import type { DashboardListItem } from '../../src/superset/client/superset-types';
import type { TaskLogger } from '../../src/plugin-api';
import { FakeSuperset, FAKE_ADMIN } from '../../test/fakes/superset';
import { figure, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';

const DASHBOARDS = 2000;
const LATENCY_MS = 20;
const MAX_IN_FLIGHT = 4;

const silent: TaskLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  withSource: () => silent,
};

async function timed(work: () => Promise<DashboardListItem[]>): Promise<number> {
  const started = performance.now();
  const items = await work();
  const ms = performance.now() - started;
  if (items.length !== DASHBOARDS) {
    throw new Error(`listed ${items.length} of ${DASHBOARDS} dashboards`);
  }
  return ms;
}

export async function supersetListingFigure(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const fake = await FakeSuperset.start({ latencyMs: LATENCY_MS });
  try {
    fake.store.seed({ dashboards: DASHBOARDS });
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
    const parallel = (): Promise<DashboardListItem[]> => client.dashboards();
    const sequential = (): Promise<DashboardListItem[]> =>
      walkPages((page) => client.listPage<DashboardListItem>('dashboard', page));
    await parallel(); // logs in and warms both sides up
    await sequential();
    const reps = options.quick ? 3 : 7;
    const values: number[] = [];
    const baseline: number[] = [];
    let peak = 0;
    for (let rep = 0; rep < reps; rep++) {
      // Alternate the order, so neither always runs second.
      fake.resetStats();
      if (rep % 2 === 0) {
        values.push(await timed(parallel));
        peak = Math.max(peak, fake.peakInFlight);
        baseline.push(await timed(sequential));
      } else {
        baseline.push(await timed(sequential));
        fake.resetStats();
        values.push(await timed(parallel));
        peak = Math.max(peak, fake.peakInFlight);
      }
    }
    log(
      `  superset listing: ${values.map((v) => v.toFixed(0)).join(', ')} ms vs ${baseline.map((v) => v.toFixed(0)).join(', ')} ms; peak ${peak} in flight`,
    );
    return [
      figure({
        id: 'superset-listing',
        title: `listing ${DASHBOARDS.toLocaleString('en')} dashboards, ${LATENCY_MS} ms per request (fake Superset)`,
        unit: 'ms',
        values,
        baselineTitle: 'sequential page walk (page after page)',
        baselineValues: baseline,
        target: `≤ 0.4× baseline, ≤ ${MAX_IN_FLIGHT} in flight`,
        judge: (_value, _baseline, ratio) =>
          ratio !== null && ratio <= 0.4 && peak <= MAX_IN_FLIGHT,
        notes: [
          `${DASHBOARDS / 100} pages of 100; the first gives the count, the others go at once through the client's limiter`,
          `most requests in flight at the fake Superset during the client's listings: ${peak}`,
        ],
        details: { peakInFlight: peak, pages: DASHBOARDS / 100, latencyMs: LATENCY_MS },
      }),
    ];
  } finally {
    await fake.stop();
  }
}
