// The job queue's figures. Pickup latency on an idle cluster (one api instance, two workers): from
// just before POST /api/tasks to the task's RUNNING (its started_at), against the in-process queue
// Taskdeck had before (lib/in-process-queue.ts), in the same run. Throughput of short tasks (debug
// sleep 0) through the two workers against one instance with their total concurrency.
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
  waitFinished,
  type BenchProcess,
  type BenchServer,
  type ServerSettings,
} from '../lib/server';
import { quantile, sleep } from '../lib/stats';

const CLUSTER_DB = 'taskdeck_bench_queue';
const SINGLE_DB = 'taskdeck_bench_queue_single';
const FLOOR_DB = 'taskdeck_bench_queue_floor';
const SHORT_TASK = { action: 'sleep', ms: 0 };
/** Requests in flight while a throughput batch is submitted. */
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

/** Tasks/s of `count` short tasks: first created_at → last finished_at. */
async function throughput(api: ApiClient, db: Client, count: number): Promise<number> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += SUBMITTERS) {
    const batch = Math.min(SUBMITTERS, count - i);
    const tasks = await Promise.all(
      Array.from({ length: batch }, () => startTask(api, SHORT_TASK)),
    );
    ids.push(...tasks.map((t) => t.id));
  }
  for (;;) {
    const { rows } = await db.query<{ open: string; failed: string; ms: string }>(
      `SELECT count(*) FILTER (WHERE finished_at IS NULL) AS open,
              count(*) FILTER (WHERE status <> 'SUCCESS' AND finished_at IS NOT NULL) AS failed,
              extract(epoch FROM max(finished_at) - min(created_at)) * 1000 AS ms
       FROM tasks WHERE id = ANY($1)`,
      [ids],
    );
    const [{ open, failed, ms }] = rows;
    if (Number(failed) > 0) throw new Error(`${failed} short task(s) did not succeed`);
    if (Number(open) === 0) return count / (Number(ms) / 1000);
    await sleep(50);
  }
}

export async function queueFigures(
  options: BenchOptions,
  pg: BenchCluster,
  settings: ServerSettings,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { queuePickups, queueTasks, queueReps, queueConcurrency } = options.sizes;
  const urls = {
    cluster: await createBenchDatabase(pg, CLUSTER_DB),
    single: await createBenchDatabase(pg, SINGLE_DB),
    floor: await createBenchDatabase(pg, FLOOR_DB),
  };
  const started: { stop(): Promise<void> }[] = [];
  try {
    const api = await startServer(urls.cluster, settings, undefined, {
      instanceId: 'queue-api',
      env: { TASKDECK_ROLE: 'api' },
    });
    started.push(api);
    for (const n of [1, 2]) {
      const worker: BenchProcess = await startWorker(
        urls.cluster,
        settings,
        api,
        `queue-worker-${n}`,
        { TASK_CONCURRENCY: String(queueConcurrency) },
      );
      started.push(worker);
    }
    const single: BenchServer = await startServer(urls.single, settings, undefined, {
      instanceId: 'queue-single',
      env: { TASK_CONCURRENCY: String(2 * queueConcurrency) },
    });
    started.push(single);
    const floor = await startInProcessQueue(urls.floor);
    started.push(floor);
    const floorClient = new ApiClient(floor.url);

    return await withClient(urls.cluster, (clusterDb) =>
      withClient(urls.single, (singleDb) =>
        withClient(urls.floor, async (floorDb) => {
          // Warm-up (JIT, connections, queue caches), then past the servers' startup period.
          for (let i = 0; i < 20; i++) {
            await pickup(() => startTask(api.api, SHORT_TASK), clusterDb);
            await pickup(() => startTask(floorClient, SHORT_TASK), floorDb);
          }
          await throughput(api.api, clusterDb, 50);
          await throughput(single.api, singleDb, 50);
          await sleep(Math.max(0, single.spawnedAt + SERVER_STARTUP_MS - Date.now()));

          // Pickup: one task at a time, each after the previous one ran, 50–150 ms apart, the two
          // paths alternating; nothing else runs: an idle cluster.
          const viaQueue: number[] = [];
          const viaFloor: number[] = [];
          for (let i = 0; i < queuePickups; i++) {
            viaQueue.push(await pickup(() => startTask(api.api, SHORT_TASK), clusterDb));
            await sleep(50 + Math.random() * 100);
            viaFloor.push(await pickup(() => startTask(floorClient, SHORT_TASK), floorDb));
            await sleep(50 + Math.random() * 100);
          }
          const ran = await waitFinished(api.api, (await startTask(api.api, SHORT_TASK)).id);
          const byWorker = await clusterDb.query<{ owner: string; n: string }>(
            `SELECT owner_instance AS owner, count(*) AS n FROM tasks GROUP BY 1 ORDER BY 1`,
          );
          log(
            `  pickup: p50 ${quantileText(viaQueue, 0.5)} / p95 ${quantileText(viaQueue, 0.95)} ms ` +
              `(in-process ${quantileText(viaFloor, 0.5)} / ${quantileText(viaFloor, 0.95)}); ` +
              `tasks per instance: ${byWorker.rows.map((r) => `${r.owner} ${r.n}`).join(', ')}`,
          );
          if (ran.status !== 'SUCCESS') throw new Error(`a short task ended ${ran.status}`);

          // Throughput: the same batch through the cluster and through one instance, alternating.
          const viaWorkers: number[] = [];
          const viaOne: number[] = [];
          for (let rep = 0; rep < queueReps; rep++) {
            viaWorkers.push(await throughput(api.api, clusterDb, queueTasks));
            viaOne.push(await throughput(single.api, singleDb, queueTasks));
            log(
              `  throughput rep ${rep + 1}/${queueReps}: 2 workers ${viaWorkers[rep].toFixed(0)} tasks/s, ` +
                `1 instance ${viaOne[rep].toFixed(0)} tasks/s`,
            );
          }
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
                  'through the api instance (TASKDECK_ROLE=api) to two worker instances (TASKDECK_ROLE=worker); ' +
                  'latency = the task row’s started_at (PostgreSQL now() of the claim, µs) − the client’s clock just before ' +
                  'the POST (same machine clock). The path: HTTP + auth + params validation, one transaction (task row + ' +
                  'pg-boss job + NOTIFY), the workers’ LISTEN connection, pg-boss’s fetch (SKIP LOCKED), the claim UPDATE. ' +
                  'Baseline, alternating with it: an HTTP server in the bench process whose POST inserts the task and pushes ' +
                  'it on an in-memory FIFO that claims it at once (lib/in-process-queue.ts): the former path without Nest, ' +
                  'auth or validation, on a database of its own.',
              ],
            }),
            figure({
              id: 'queue-throughput',
              title: `short tasks through 2 workers × ${queueConcurrency} (${queueTasks} debug sleep 0)`,
              unit: 'tasks/s',
              values: viaWorkers,
              baselineTitle: `one instance, TASK_CONCURRENCY ${2 * queueConcurrency}`,
              baselineValues: viaOne,
              higherIsBetter: true,
              target: '— (the same machine runs every instance)',
              notes: [
                `${queueTasks} tasks submitted through POST /api/tasks, ${SUBMITTERS} requests in flight; tasks/s = ` +
                  `${queueTasks} ÷ (last finished_at − first created_at). Cluster: the api instance and two workers ` +
                  `(TASK_CONCURRENCY ${queueConcurrency} each); baseline: one instance (TASKDECK_ROLE=all, TASK_CONCURRENCY ` +
                  `${2 * queueConcurrency}) on a database of its own, both through the job queue, ${queueReps} runs each, ` +
                  'alternating. On one 2-core machine the three processes share the cores with PostgreSQL, so this shows ' +
                  'what the queue costs, not what more machines gain.',
              ],
            }),
          ];
        }),
      ),
    );
  } finally {
    for (const server of started.reverse()) await server.stop().catch(() => undefined);
    for (const name of [CLUSTER_DB, SINGLE_DB, FLOOR_DB]) await dropBenchDatabase(pg, name);
  }
}

function quantileText(values: number[], q: number): string {
  return quantile(values, q).toFixed(1);
}
