// The job queue's figures. Pickup latency on an idle cluster (one api instance, two workers): from
// just before POST /api/tasks to the task's RUNNING (its started_at), against the in-process queue
// Taskdeck had before (lib/in-process-queue.ts), in the same run. Throughput of short tasks (debug
// sleep 0) through two workers against one worker with their total concurrency, draining the same
// backlog.
import { loadavg } from 'node:os';
import type { Client } from 'pg';
import { ApiClient } from '../../test/utils/api-client';
import { figure, type FigureResult } from '../lib/figure';
import { startInProcessQueue } from '../lib/in-process-queue';
import type { BenchOptions } from '../lib/options';
import {
  createBenchDatabase,
  dropBenchDatabase,
  withClient,
  type BenchCluster,
} from '../lib/postgres';
import {
  SERVER_STARTUP_MS,
  startServer,
  startTask,
  startWorker,
  type BenchProcess,
  type BenchServer,
  type ServerSettings,
} from '../lib/server';
import { quantile, sleep } from '../lib/stats';

const CLUSTER_DB = 'taskdeck_bench_queue';
const FLOOR_DB = 'taskdeck_bench_queue_floor';
const SHORT_TASK = { action: 'sleep', ms: 0 };
/** Requests in flight while a backlog is submitted. */
const SUBMITTERS = 25;

/** Epoch milliseconds with sub-millisecond precision, on the clock PostgreSQL's now() reads too. */
const wallMs = (): number => performance.timeOrigin + performance.now();

/** Milliseconds from just before the POST to the task's started_at (read with µs precision). */
async function pickup(
  post: () => Promise<{ id: string }>,
  db: Client,
  timeoutMs = 30_000,
): Promise<number> {
  const before = wallMs();
  const { id } = await post();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ started: string | null }>(
      `SELECT extract(epoch FROM started_at) * 1000 AS started FROM tasks WHERE id = $1`,
      [id],
    );
    if (rows[0]?.started) return Number(rows[0].started) - before;
    if (Date.now() > deadline) throw new Error(`task ${id} did not start within ${timeoutMs} ms`);
    await sleep(1);
  }
}

/**
 * Tasks/s of workers draining a backlog: `count` short tasks are submitted while no worker runs,
 * then `startWorkers` starts them. The rate is taken between the 10th and the 90th percentile of
 * the tasks' finished_at, so that neither the workers' start (one may be up a moment before the
 * other) nor the last stragglers count: 0.8 × count ÷ (p90 − p10).
 */
async function drain(
  api: ApiClient,
  db: Client,
  count: number,
  startWorkers: () => Promise<BenchProcess[]>,
): Promise<number> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += SUBMITTERS) {
    const batch = Math.min(SUBMITTERS, count - i);
    const tasks = await Promise.all(
      Array.from({ length: batch }, () => startTask(api, SHORT_TASK)),
    );
    ids.push(...tasks.map((t) => t.id));
  }
  const workers = await startWorkers();
  try {
    for (;;) {
      const { rows } = await db.query<{ open: string; failed: string; ms: string }>(
        `SELECT count(*) FILTER (WHERE finished_at IS NULL) AS open,
                count(*) FILTER (WHERE status <> 'SUCCESS' AND finished_at IS NOT NULL) AS failed,
                extract(epoch FROM percentile_disc(0.9) WITHIN GROUP (ORDER BY finished_at)
                  - percentile_disc(0.1) WITHIN GROUP (ORDER BY finished_at)) * 1000 AS ms
         FROM tasks WHERE id = ANY($1)`,
        [ids],
      );
      const [{ open, failed, ms }] = rows;
      if (Number(failed) > 0) throw new Error(`${failed} short task(s) did not succeed`);
      if (Number(open) === 0) return (0.8 * count) / (Number(ms) / 1000);
      await sleep(50);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

export async function queueFigures(
  options: BenchOptions,
  pg: BenchCluster,
  settings: ServerSettings,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { queuePickups, queueTasks, queueReps, queueConcurrency } = options.sizes;
  const clusterUrl = await createBenchDatabase(pg, CLUSTER_DB);
  const floorUrl = await createBenchDatabase(pg, FLOOR_DB);
  const started: { stop(): Promise<void> }[] = [];
  let workerCount = 0;
  try {
    const api: BenchServer = await startServer(clusterUrl, settings, undefined, {
      instanceId: 'queue-api',
      env: { TASKDECK_ROLE: 'api' },
    });
    started.push(api);
    const workers = (n: number, concurrency: number): Promise<BenchProcess[]> =>
      Promise.all(
        Array.from({ length: n }, () =>
          startWorker(clusterUrl, settings, api, `queue-worker-${++workerCount}`, {
            TASK_CONCURRENCY: String(concurrency),
          }),
        ),
      );
    const floor = await startInProcessQueue(floorUrl);
    started.push(floor);
    const floorClient = new ApiClient(floor.url);

    return await withClient(clusterUrl, (clusterDb) =>
      withClient(floorUrl, async (floorDb) => {
        // Pickup: one task at a time, each after the previous one ran, 50–150 ms apart, the two
        // paths alternating; nothing else runs: an idle cluster.
        const viaQueue: number[] = [];
        const viaFloor: number[] = [];
        const pair = await workers(2, queueConcurrency);
        try {
          // Warm-up (JIT, connections, queue caches), then past the servers' startup period.
          for (let i = 0; i < 20; i++) {
            await pickup(() => startTask(api.api, SHORT_TASK), clusterDb);
            await pickup(() => startTask(floorClient, SHORT_TASK), floorDb);
          }
          await sleep(Math.max(0, api.spawnedAt + SERVER_STARTUP_MS - Date.now()));
          for (let i = 0; i < queuePickups; i++) {
            viaQueue.push(await pickup(() => startTask(api.api, SHORT_TASK), clusterDb));
            await sleep(50 + Math.random() * 100);
            viaFloor.push(await pickup(() => startTask(floorClient, SHORT_TASK), floorDb));
            await sleep(50 + Math.random() * 100);
          }
        } finally {
          await Promise.all(pair.map((w) => w.stop()));
        }
        const byWorker = await clusterDb.query<{ owner: string; n: string }>(
          `SELECT owner_instance AS owner, count(*) AS n FROM tasks GROUP BY 1 ORDER BY 1`,
        );
        log(
          `  pickup: p50 ${quantileText(viaQueue, 0.5)} / p95 ${quantileText(viaQueue, 0.95)} ms ` +
            `(in-process ${quantileText(viaFloor, 0.5)} / ${quantileText(viaFloor, 0.95)}); ` +
            `tasks per instance: ${byWorker.rows.map((r) => `${r.owner} ${r.n}`).join(', ')}`,
        );

        // Throughput: the same backlog drained by two workers and by one with their total
        // concurrency, alternating; fresh processes each time, so both start equally cold.
        const viaTwo: number[] = [];
        const viaOne: number[] = [];
        for (let rep = 0; rep < queueReps; rep++) {
          viaTwo.push(
            await drain(api.api, clusterDb, queueTasks, () => workers(2, queueConcurrency)),
          );
          viaOne.push(
            await drain(api.api, clusterDb, queueTasks, () => workers(1, 2 * queueConcurrency)),
          );
          log(
            `  throughput rep ${rep + 1}/${queueReps}: 2 workers ${viaTwo[rep].toFixed(0)} tasks/s, ` +
              `1 worker ${viaOne[rep].toFixed(0)} tasks/s`,
          );
        }
        const load = loadavg()
          .map((l) => l.toFixed(1))
          .join(' ');
        return [
          figure({
            id: 'queue-pickup',
            title: 'task pickup, POST /api/tasks → RUNNING, idle cluster (1 api + 2 workers)',
            unit: 'ms',
            values: viaQueue,
            baselineTitle: 'in-process queue (the former per-instance FIFO), same run',
            baselineValues: viaFloor,
            ratioBasis: 'p95',
            target: 'p95 ≤ 100 ms',
            judge: (value) => value.p95 <= 100,
            notes: [
              `${queuePickups} tasks (debug sleep 0), one at a time, each 50–150 ms after the previous one ran, ` +
                'through the api instance (TASKDECK_ROLE=api) to two worker instances (TASKDECK_ROLE=worker, ' +
                `TASK_CONCURRENCY ${queueConcurrency}); latency = the task row’s started_at (PostgreSQL now() of ` +
                'the claim, µs) − the client’s clock just before the POST (same machine clock). The path: HTTP + ' +
                'auth + params validation, one transaction (task row + pg-boss job + NOTIFY), the workers’ LISTEN ' +
                'connection, pg-boss’s fetch (SKIP LOCKED), the claim UPDATE. Baseline, alternating with it: an ' +
                'HTTP server in the bench process whose POST inserts the task and pushes it on an in-memory FIFO ' +
                'that claims it at once (lib/in-process-queue.ts): the former path without Nest, auth or ' +
                `validation, on a database of its own. Load average of the machine at the end: ${load}.`,
            ],
          }),
          figure({
            id: 'queue-throughput',
            title: `short tasks through 2 workers × ${queueConcurrency} (${queueTasks} debug sleep 0)`,
            unit: 'tasks/s',
            values: viaTwo,
            baselineTitle: `1 worker × ${2 * queueConcurrency}`,
            baselineValues: viaOne,
            higherIsBetter: true,
            target: '— (the same machine runs every instance)',
            notes: [
              `A backlog of ${queueTasks} tasks submitted through the api instance while no worker runs, then ` +
                `drained by two fresh worker instances (TASK_CONCURRENCY ${queueConcurrency} each), or by one ` +
                `(TASK_CONCURRENCY ${2 * queueConcurrency}): tasks/s = 0.8 × ${queueTasks} ÷ the time between the ` +
                `10th and the 90th percentile of finished_at (the workers' start and the stragglers left out). ` +
                `${queueReps} runs each, alternating. Each task is claimed, logs its start and end ` +
                'lines, waits for its log to be committed and stores its end, and its job is completed. On one ' +
                '2-core machine the workers share the cores with PostgreSQL and each other: this shows what a ' +
                'second process costs or gains here, not what a second machine would.',
            ],
          }),
        ];
      }),
    );
  } finally {
    for (const server of started.reverse()) await server.stop().catch(() => undefined);
    for (const name of [CLUSTER_DB, FLOOR_DB]) await dropBenchDatabase(pg, name);
  }
}

function quantileText(values: number[], q: number): string {
  return quantile(values, q).toFixed(1);
}
