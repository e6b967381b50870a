// The outage figure (issue 20): one debug task logs at a fixed rate without yielding while the
// database is paused (SIGSTOP of every process of the embedded cluster) — entries lost (target 0),
// the server's RSS, the spill's size, and the drain time after the database is back (SIGCONT until
// the spill is empty: every spilled entry committed).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogStats } from '@taskdeck/contracts';
import { figure, notMeasured, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import { signalCluster, type BenchCluster } from '../lib/postgres';
import {
  rssBytes,
  startServer,
  startTask,
  waitFinished,
  type BenchServer,
  type ServerSettings,
} from '../lib/server';
import { sleep } from '../lib/stats';

const MiB = 1024 * 1024;
const SAMPLE_MS = 200;
/** Logging before the pause and after the resume, seconds. */
const BEFORE_S = 5;
const AFTER_S = 5;

async function spillBytes(dataDir: string): Promise<number> {
  const dir = join(dataDir, 'log-spill');
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith('seg-')) {
      total += (await stat(join(dir, name)).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

export async function outageFigures(
  options: BenchOptions,
  databaseUrl: string,
  cluster: BenchCluster,
  settings: ServerSettings,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { outageSeconds, outageRate } = options.sizes;
  const title = `database paused ${outageSeconds} s, 1 task at ${outageRate.toLocaleString('en')} entries/s not yielding`;
  if (!cluster.embedded) {
    return [
      notMeasured(
        'outage-lost',
        title,
        '0 lost',
        'DATABASE_URL points to a server this bench did not start: it does not pause it',
      ),
    ];
  }
  // The pause must not look like a dead worker (its task would end FAILED): a long heartbeat.
  const server: BenchServer = await startServer(databaseUrl, settings, undefined, {
    env: { TASK_HEARTBEAT_SECONDS: String(Math.max(60, outageSeconds * 4)) },
  });
  try {
    const count = outageRate * (BEFORE_S + outageSeconds + AFTER_S);
    const task = await startTask(server.api, {
      action: 'emit',
      count,
      sources: ['emit'],
      ratePerSecond: outageRate,
      yield: false,
    });
    await sleep(BEFORE_S * 1000);
    const rest = (await rssBytes(server.pid)) / MiB;
    const rss: number[] = [];
    const drainRss: number[] = [];
    let spillMax = 0;
    const stopped = await signalCluster(cluster, 'SIGSTOP');
    try {
      const end = Date.now() + outageSeconds * 1000;
      while (Date.now() < end) {
        rss.push((await rssBytes(server.pid)) / MiB);
        spillMax = Math.max(spillMax, await spillBytes(server.dataDir));
        await sleep(SAMPLE_MS);
      }
    } finally {
      await signalCluster(cluster, 'SIGCONT');
    }
    const resumed = Date.now();
    // Drained: the spill is empty (its segments are deleted once every record in them is committed).
    let drainMs = NaN;
    while (Date.now() - resumed < 600_000) {
      drainRss.push((await rssBytes(server.pid)) / MiB);
      if ((await spillBytes(server.dataDir)) === 0) {
        drainMs = Date.now() - resumed;
        break;
      }
      await sleep(100);
    }
    const done = await waitFinished(server.api, task.id, 600_000);
    const stats = await server.api.get<LogStats>(`/api/tasks/${task.id}/logs/stats`);
    const stored = stats.body.bySource.emit ?? 0;
    const lost = count - stored;
    const rssMax = Math.max(...rss);
    const drainMax = Math.max(...drainRss);
    // Bounded: what the database does not take goes to disk, so RSS does not grow with the outage —
    // the second half of the pause holds no more than the first (the memory figure's plateau test).
    const half = Math.floor(rss.length / 2);
    const growth = Math.max(...rss.slice(half)) - Math.max(...rss.slice(0, half));
    const slack = Math.max(32, 0.05 * rssMax);
    log(
      `  outage: ${stopped} processes paused ${outageSeconds} s; task ${done.status}; emitted ${count}, stored ${stored}, lost ${lost}; ` +
        `spill max ${(spillMax / MiB).toFixed(1)} MiB; RSS before ${rest.toFixed(0)} MiB, max paused ${rssMax.toFixed(0)} MiB (growth ${growth.toFixed(0)}), ` +
        `max draining ${drainMax.toFixed(0)} MiB; drained ${(drainMs / 1000).toFixed(1)} s after the resume`,
    );
    const how =
      `SIGSTOP of the postmaster and all its children for ${outageSeconds} s, SIGCONT after; one debug emit task of ${count.toLocaleString('en')} entries ` +
      `paced at ${outageRate.toLocaleString('en')}/s with yield: false, started ${BEFORE_S} s before the pause. One run.`;
    const bufferMiB = settings.bufferMaxBytes / MiB;
    return [
      figure({
        id: 'outage-lost',
        title: `${title}: entries lost`,
        unit: 'entries',
        values: [lost],
        target: '0',
        judge: (v) => v.median === 0 && done.status === 'SUCCESS',
        notes: [
          how,
          `Lost = emitted − stored (source \`emit\`, /logs/stats). Task ${done.status}.`,
        ],
        details: { emitted: count, stored, status: done.status },
      }),
      figure({
        id: 'outage-rss',
        title: `${title}: server RSS during the pause`,
        unit: 'MiB',
        values: rss,
        target: `bounded: no growth with the outage (2nd-half max − 1st-half max ≤ ${slack.toFixed(0)} MiB)`,
        judge: () => growth <= slack,
        notes: [
          `RSS (VmRSS) sampled every ${SAMPLE_MS} ms: ${rest.toFixed(0)} MiB before the pause, max ${rssMax.toFixed(0)} MiB during it ` +
            `(growth from the first half to the second ${growth.toFixed(0)} MiB), max ${drainMax.toFixed(0)} MiB while the spill drained ` +
            `(V8 heap of the drain's batches, not held entries). Before the spill the same outage shed entries at the ${bufferMiB.toFixed(0)} MiB buffer bound.`,
        ],
        details: { restMiB: rest, maxMiB: rssMax, growthMiB: growth, drainMaxMiB: drainMax },
      }),
      figure({
        id: 'outage-spill',
        title: `${title}: spill on disk, max`,
        unit: 'MiB',
        values: [spillMax / MiB],
        target: 'INFO',
        notes: [
          `Sum of DATA_DIR/log-spill/seg-*.log sampled every ${SAMPLE_MS} ms: ${((spillMax / Math.max(1, outageRate * outageSeconds)) | 0).toLocaleString('en')} bytes per entry paused, ` +
            `${((spillMax / MiB / outageSeconds) * 60).toFixed(0)} MiB per minute of outage at this rate.`,
        ],
        details: { bytes: spillMax },
      }),
      figure({
        id: 'outage-drain',
        title: `${title}: drain time after the resume`,
        unit: 's',
        values: [drainMs / 1000],
        target: 'INFO',
        notes: [
          'From SIGCONT until the spill is empty (every spilled entry committed, segments deleted), while the task keeps logging.',
        ],
      }),
    ];
  } finally {
    await server.stop();
  }
}
