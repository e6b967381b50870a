// Figure 8: server RSS while 8 debug tasks log at full rate, then with the database paused
// (SIGSTOP of every process of the embedded cluster) while they keep logging.
import { figure, notMeasured, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import { signalCluster, type BenchCluster } from '../lib/postgres';
import {
  cancelTask,
  logTotal,
  rssBytes,
  startTask,
  waitFinished,
  type BenchServer,
  type ServerSettings,
} from '../lib/server';
import { sleep } from '../lib/stats';

const MiB = 1024 * 1024;
const SAMPLE_MS = 200;
const TASKS = 8;

/** RSS samples (MiB) every SAMPLE_MS for `seconds`. */
async function sampleRss(pid: number, seconds: number): Promise<number[]> {
  const samples: number[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    samples.push((await rssBytes(pid)) / MiB);
    await sleep(SAMPLE_MS);
  }
  return samples;
}

export async function memoryFigures(
  options: BenchOptions,
  server: BenchServer,
  cluster: BenchCluster,
  settings: ServerSettings,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { rssIngestSeconds, rssPauseSeconds } = options.sizes;
  const bound = `buffer bound: ${settings.bufferCapacity.toLocaleString('en')} entries / ${Math.round(settings.bufferMaxBytes / MiB)} MiB`;
  // Warm the server up (JIT, pools) with a short task, then take the resting RSS.
  const warm = await startTask(server.api, { action: 'emit', count: 20_000 });
  await waitFinished(server.api, warm.id);
  await sleep(1000);
  const rest = (await rssBytes(server.pid)) / MiB;

  const tasks = await Promise.all(
    Array.from({ length: TASKS }, () =>
      startTask(server.api, { action: 'emit', count: 1_000_000 }),
    ),
  );
  const ids = tasks.map((t) => t.id);
  const results: FigureResult[] = [];
  try {
    const ingest = await sampleRss(server.pid, rssIngestSeconds);
    const half = Math.floor(ingest.length / 2);
    const growth = Math.max(...ingest.slice(half)) - Math.max(...ingest.slice(0, half));
    const stored = (await Promise.all(ids.map((id) => logTotal(server.api, id)))).reduce(
      (a, b) => a + b,
      0,
    );
    log(
      `  rss: rest ${rest.toFixed(0)} MiB, full-rate ingest max ${Math.max(...ingest).toFixed(0)} MiB (${stored.toLocaleString('en')} entries stored)`,
    );
    // Bounded: under full load RSS reaches a plateau (the heap's garbage and in-flight batches, not the
    // buffer: that is capped by its own bound); and the database going away, which fills the buffer
    // to its bound, adds at most that bound on top of the plateau.
    const bufferMiB = settings.bufferMaxBytes / MiB;
    const ingestMax = Math.max(...ingest);
    const plateauSlackMiB = Math.max(32, 0.05 * ingestMax);
    const limitMiB = ingestMax + bufferMiB;
    // A plateau takes the heap a while to reach: a quick run's window is too short to tell one.
    const judgeIngest = (): boolean | 'n/a' =>
      growth <= plateauSlackMiB || (options.quick ? 'n/a' : false);
    const judgePaused = (v: { max: number }): boolean => v.max <= limitMiB;
    const ingestTarget = `bounded: plateau (2nd-half max − 1st-half max ≤ ${plateauSlackMiB.toFixed(0)} MiB)`;
    const pausedTarget = `max ≤ full-rate max + buffer byte bound = ${limitMiB.toFixed(0)} MiB`;
    results.push(
      figure({
        id: 'rss-ingest',
        title: `server RSS, ${TASKS} tasks logging at full rate for ${rssIngestSeconds} s`,
        unit: 'MiB',
        values: ingest,
        target: ingestTarget,
        judge: judgeIngest,
        notes: [
          `RSS (VmRSS of /proc/<pid>/status) sampled every ${SAMPLE_MS} ms; median/p95 over the samples; max in the JSON. ` +
            `Rest = ${rest.toFixed(0)} MiB after a warm-up task. ${bound} (TASK_LOG_BUFFER_CAPACITY / TASK_LOG_BUFFER_MAX_BYTES). ` +
            `The tasks log faster than the database commits, so the buffer runs at its bound and sheds DEBUG first. ` +
            `${stored.toLocaleString('en')} entries committed in the window (${Math.round(stored / rssIngestSeconds).toLocaleString('en')}/s). ` +
            `Max of the second half minus max of the first half: ${growth.toFixed(0)} MiB (a plateau is near 0).`,
        ],
        details: { restMiB: rest, maxMiB: ingestMax, growthMiB: growth, plateauSlackMiB },
      }),
    );

    if (!cluster.embedded) {
      results.push(
        notMeasured(
          'rss-paused',
          `server RSS, database paused ${rssPauseSeconds} s`,
          pausedTarget,
          'DATABASE_URL points to a server this bench did not start: it does not pause it',
        ),
      );
    } else {
      const paused = await signalCluster(cluster, 'SIGSTOP');
      let during: number[];
      try {
        during = await sampleRss(server.pid, rssPauseSeconds);
      } finally {
        await signalCluster(cluster, 'SIGCONT');
      }
      log(
        `  rss: database paused (${paused} processes) → max ${Math.max(...during).toFixed(0)} MiB`,
      );
      results.push(
        figure({
          id: 'rss-paused',
          title: `server RSS, database paused for ${rssPauseSeconds} s while logging`,
          unit: 'MiB',
          values: during,
          target: pausedTarget,
          judge: judgePaused,
          notes: [
            `SIGSTOP of the postmaster and all its children, SIGCONT after; the ${TASKS} tasks keep logging. ${bound}.`,
          ],
          details: {
            restMiB: rest,
            maxMiB: Math.max(...during),
            limitMiB,
            stoppedProcesses: paused,
          },
        }),
      );
    }
  } finally {
    await Promise.all(ids.map((id) => cancelTask(server.api, id).catch(() => undefined)));
    await Promise.all(ids.map((id) => waitFinished(server.api, id, 300_000)));
  }
  return results;
}
