// Figures 3 and 4: live latency (log call → socket.io-client receipt) at about 10k entries/s with
// 1 subscriber and with 200 subscribers over 10 filters, and the server's CPU per delivered entry.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LogEntry, SubscribeAck, SubscribeRequest } from '@taskdeck/contracts';
import type { Socket } from 'socket.io-client';
import { connect, connected } from '../../test/utils/socket-client';
import { figure, notMeasured, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import { cancelTask, cpuTimePreciseMs, logTotal, SERVER_STARTUP_MS, startTask, waitFinished, type BenchServer } from '../lib/server';
import { quantile, sleep } from '../lib/stats';

const TARGET_RATE = 10_000;
const SUBSCRIBERS = 200;
const FILTERS = 10;
const SOURCES = ['app', 'db'];
const SETTLE_MS = 1500;

interface Phase {
  latencies: number[];
  delivered: number;
  cpuMs: number;
  seconds: number;
  rate: number;
  /** p99 event-loop delay of this (client) process during the window, ms. */
  clientLagP99: number;
}

/** The filter of subscriber group f: one task each, three kinds of filter. */
function filterOf(f: number, taskIds: readonly string[]): SubscribeRequest {
  const taskId = taskIds[f % taskIds.length];
  if (f % 3 === 1) return { taskId, level: 'WARNING' };
  if (f % 3 === 2) return { taskId, sources: ['app'] };
  return { taskId };
}

async function subscribe(socket: Socket, request: SubscribeRequest): Promise<void> {
  const ack = (await socket.timeout(30_000).emitWithAck('subscribe', request)) as SubscribeAck;
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`);
}

async function totalOf(server: BenchServer, taskIds: readonly string[]): Promise<number> {
  return (await Promise.all(taskIds.map((id) => logTotal(server.api, id)))).reduce((a, b) => a + b, 0);
}

/** Entries per second one `emit` task with intervalMs 1 produces here, measured over 2 s. */
async function calibrate(server: BenchServer): Promise<number> {
  const tasks = await Promise.all(
    Array.from({ length: FILTERS }, () =>
      startTask(server.api, { action: 'emit', count: 100_000, intervalMs: 1, sources: SOURCES }),
    ),
  );
  const ids = tasks.map((t) => t.id);
  await sleep(1000);
  const before = await totalOf(server, ids);
  const start = Date.now();
  await sleep(2000);
  const after = await totalOf(server, ids);
  const perTask = (after - before) / ((Date.now() - start) / 1000) / ids.length;
  await Promise.all(ids.map((id) => cancelTask(server.api, id)));
  await Promise.all(ids.map((id) => waitFinished(server.api, id)));
  return perTask;
}

/** One measurement window with `clients` sockets already subscribed (none for the CPU baseline). */
async function measure(server: BenchServer, sockets: Socket[], seconds: number, taskIds: readonly string[]): Promise<Phase> {
  const latencies: number[] = [];
  let delivered = 0;
  let open = false;
  const onLogs = (event: { entries: LogEntry[] }): void => {
    if (!open) return;
    const now = Date.now();
    for (const entry of event.entries) latencies.push(now - Date.parse(entry.timestamp));
    delivered += event.entries.length;
  };
  for (const socket of sockets) socket.on('logs', onLogs);
  await sleep(SETTLE_MS);
  const totalBefore = await totalOf(server, taskIds);
  const cpuBefore = await cpuTimePreciseMs(server.pid);
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const start = Date.now();
  open = true;
  await sleep(seconds * 1000);
  open = false;
  lag.disable();
  const cpuAfter = await cpuTimePreciseMs(server.pid);
  const elapsed = (Date.now() - start) / 1000;
  const totalAfter = await totalOf(server, taskIds);
  for (const socket of sockets) socket.off('logs', onLogs);
  return {
    latencies,
    delivered,
    cpuMs: cpuAfter - cpuBefore,
    seconds: elapsed,
    rate: (totalAfter - totalBefore) / elapsed,
    clientLagP99: lag.percentile(99) / 1e6,
  };
}

async function openClients(server: BenchServer, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, () => connect(server.url, server.token));
    await Promise.all(batch.map((s) => connected(s)));
    sockets.push(...batch);
  }
  return sockets;
}

export async function liveFigures(options: BenchOptions, server: BenchServer, log: (line: string) => void): Promise<FigureResult[]> {
  const { liveSeconds, liveReps } = options.sizes;
  // A running server, past its startup period (a no-op after the ingest figures).
  await sleep(Math.max(0, server.spawnedAt + SERVER_STARTUP_MS - Date.now()));
  const perTask = await calibrate(server);
  if (!(perTask > 0)) {
    const reason = 'debug emit tasks with intervalMs 1 produced no entries';
    return [
      notMeasured('live-1', 'live latency, 1 subscriber', 'p99 ≤ 100 ms', reason),
      notMeasured('live-200', 'live latency, 200 subscribers / 10 filters', 'p99 ≤ 100 ms', reason),
      notMeasured('fanout-cpu', 'server CPU per delivered entry, 200 vs 1 subscriber', 'grows with filters, not clients', reason),
    ];
  }
  const taskCount = Math.max(FILTERS, Math.min(60, Math.round(TARGET_RATE / perTask)));
  log(`  live: one emit task (intervalMs 1) ≈ ${Math.round(perTask)} entries/s → ${taskCount} tasks`);
  const phaseSeconds = liveReps * 4 * (liveSeconds + 8) + 30;
  const count = Math.min(1_000_000, Math.ceil(perTask * phaseSeconds * 1.5));
  const tasks = await Promise.all(
    Array.from({ length: taskCount }, () => startTask(server.api, { action: 'emit', count, intervalMs: 1, sources: SOURCES })),
  );
  const taskIds = tasks.map((t) => t.id);
  const runs: { none: Phase; whole: Phase; one: Phase; many: Phase }[] = [];
  try {
    await sleep(1000);
    for (let rep = 0; rep < liveReps; rep++) {
      // The latency of one subscriber: every running task, unfiltered, so it receives the whole stream.
      const [watcher] = await openClients(server, 1);
      for (const id of taskIds) await subscribe(watcher, { taskId: id });
      const whole = await measure(server, [watcher], liveSeconds, taskIds);
      watcher.close();

      // The CPU of the same load without subscribers, right before the two fan-out phases.
      const none = await measure(server, [], liveSeconds, taskIds);

      // The fan-out CPU baseline: one subscriber holding the same 10 filters as the 200 below.
      const [single] = await openClients(server, 1);
      for (let f = 0; f < FILTERS; f++) await subscribe(single, filterOf(f, taskIds));
      const one = await measure(server, [single], liveSeconds, taskIds);
      single.close();

      const sockets = await openClients(server, SUBSCRIBERS);
      await Promise.all(sockets.map((s, i) => subscribe(s, filterOf(i % FILTERS, taskIds))));
      const many = await measure(server, sockets, liveSeconds, taskIds);
      for (const s of sockets) s.close();

      runs.push({ none, whole, one, many });
      log(
        `  live rep ${rep + 1}/${liveReps}: ingest ${Math.round(whole.rate)}/s; 1 sub p50 ${quantile(whole.latencies, 0.5)} p99 ${quantile(whole.latencies, 0.99)} ms ` +
          `(${whole.delivered} entries, client lag p99 ${whole.clientLagP99.toFixed(0)} ms); 1 sub × 10 filters ${one.delivered} entries; 200 subs p50 ${quantile(many.latencies, 0.5)} p99 ${quantile(many.latencies, 0.99)} ms ` +
          `(${many.delivered} entries, client lag p99 ${many.clientLagP99.toFixed(0)} ms); ` +
          `CPU ${(none.cpuMs / none.seconds / 10).toFixed(1)}% / ${(one.cpuMs / one.seconds / 10).toFixed(1)}% / ${(many.cpuMs / many.seconds / 10).toFixed(1)}%`,
      );
    }
  } finally {
    await Promise.all(taskIds.map((id) => cancelTask(server.api, id)));
    await Promise.all(taskIds.map((id) => waitFinished(server.api, id)));
  }

  const p99 = (phase: Phase): number => quantile(phase.latencies, 0.99);
  const cpuPercent = (phase: Phase): number => phase.cpuMs / phase.seconds / 10;
  /** Server CPU the subscribers added over the same rep's no-subscriber window, per delivered entry. */
  const fanOutUs = (phase: Phase, none: Phase): number =>
    ((phase.cpuMs / phase.seconds - none.cpuMs / none.seconds) * phase.seconds * 1000) / phase.delivered;
  const rates = runs.map((r) => Math.round((r.none.rate + r.whole.rate + r.one.rate + r.many.rate) / 4));
  const pooled = (pick: (r: (typeof runs)[number]) => Phase): Record<string, number> => {
    const all = runs.flatMap((r) => pick(r).latencies);
    return { p50: quantile(all, 0.5), p95: quantile(all, 0.95), p99: quantile(all, 0.99), max: quantile(all, 1), samples: all.length };
  };
  const setup =
    `${taskCount} debug emit tasks (intervalMs 1, sources app/db) run together for ≈ ${TARGET_RATE.toLocaleString('en')} entries/s in total ` +
    `(measured: ${rates.join(', ')} entries/s); ${liveReps} runs of ${liveSeconds} s per phase. Latency = receipt time (Date.now() in the ` +
    `'logs' handler) − entry.timestamp (stamped at the log call; same machine clock, ms resolution). Value per run = that run's p99.`;
  const latencyJudge = (v: { median: number }): boolean => v.median <= 100;
  // The 1-subscriber increment is a few % of a core: below the spread of the no-subscriber windows
  // it is noise, and so would be the ratio.
  const nonePercents = runs.map((r) => cpuPercent(r.none));
  const noiseFloor = Math.max(0.5, Math.max(...nonePercents) - Math.min(...nonePercents));
  const oneIncrement = runs.reduce((sum, r) => sum + cpuPercent(r.one) - cpuPercent(r.none), 0) / runs.length;
  const fanOutMeasurable = oneIncrement > 2 * noiseFloor;
  /** Fan-out CPU (ms over the no-subscriber rate) summed over the runs ÷ entries delivered, in µs. */
  const pooledFanOutUs = (pick: (r: (typeof runs)[number]) => Phase): number =>
    (runs.reduce((sum, r) => sum + pick(r).cpuMs - (r.none.cpuMs / r.none.seconds) * pick(r).seconds, 0) * 1000) /
    runs.reduce((sum, r) => sum + pick(r).delivered, 0);
  const pooledRatio = pooledFanOutUs((r) => r.many) / pooledFanOutUs((r) => r.one);
  const figures = [
    figure({
      id: 'live-1',
      title: 'live latency p99, 1 subscriber (every task, no filter: the whole stream)',
      unit: 'ms',
      values: runs.map((r) => p99(r.whole)),
      target: 'p99 ≤ 100 ms',
      judge: latencyJudge,
      notes: [
        setup,
        `One socket subscribed to each of the ${taskCount} running tasks, unfiltered: it receives every entry ` +
          `(${runs.map((r) => Math.round(r.whole.delivered / r.whole.seconds)).join(', ')} entries/s). ` +
          `Event-loop delay p99 of the client process per run: ${runs.map((r) => r.whole.clientLagP99.toFixed(0)).join(', ')} ms ` +
          '(part of the latency when the machine is busy). Load average at the end: ' +
          loadavg().map((l) => l.toFixed(1)).join(' ') + '.',
      ],
      details: { pooled: pooled((r) => r.whole), delivered: runs.map((r) => r.whole.delivered), rates, clientLagP99: runs.map((r) => r.whole.clientLagP99) },
    }),
    figure({
      id: 'live-200',
      title: 'live latency p99, 200 subscribers over 10 filters',
      unit: 'ms',
      values: runs.map((r) => p99(r.many)),
      target: 'p99 ≤ 100 ms',
      judge: latencyJudge,
      notes: [
        `${SUBSCRIBERS} sockets, 20 per filter; filter f is task f with no filter, level ≥ WARNING or sources [app] (f mod 3). ` +
          `Client event-loop delay p99 per run: ${runs.map((r) => r.many.clientLagP99.toFixed(0)).join(', ')} ms.`,
      ],
      details: { pooled: pooled((r) => r.many), delivered: runs.map((r) => r.many.delivered), clientLagP99: runs.map((r) => r.many.clientLagP99) },
    }),
    figure({
      id: 'fanout-cpu',
      title: 'server fan-out CPU per delivered entry, 200 subscribers over 10 filters',
      unit: 'µs/entry',
      values: runs.map((r) => fanOutUs(r.many, r.none)),
      baselineTitle: 'same, 1 subscriber holding the 10 filters',
      baselineValues: runs.map((r) => fanOutUs(r.one, r.none)),
      target: 'grows with filters, not clients: ≤ 0.25 × 1 subscriber (pooled over runs)',
      ratioBasis: 'pooled',
      pooledRatio,
      judge: (_v, _b, ratio) => ratio !== null && ratio > 0 && ratio <= 0.25,
      notes: [
        'Fan-out CPU = server CPU (sum of its threads\' run time, /proc/<pid>/task/*/schedstat) during the window minus the ' +
          'same rep\'s no-subscriber window (same load, per second), divided by the entries the clients received. Both phases ' +
          'have the same 10 rooms: 1 client holding all 10 filters vs 20 clients per filter, so 20× the deliveries. ' +
          'Filtering and serialising per client would keep the cost per delivered entry (ratio near 1); once per room (filter) ' +
          'it is shared by the 20 clients of a room, which leaves the per-socket write: ratio near 0.05 plus that. ' +
          `Server CPU % (no subscriber / 1 subscriber × 10 filters / 200): ${runs.map((r) => `${cpuPercent(r.none).toFixed(1)}/${cpuPercent(r.one).toFixed(1)}/${cpuPercent(r.many).toFixed(1)}`).join(', ')}; ` +
          `entries delivered (1 / 200): ${runs.map((r) => `${r.one.delivered}/${r.many.delivered}`).join(', ')}. ` +
          'The 1-subscriber increment is small (a few % of a core): its run-to-run noise is the main uncertainty of the ratio. ' +
          'Task status/progress events go to every socket and are included.',
      ],
      details: {
        cpuPercent: runs.map((r) => ({ none: cpuPercent(r.none), whole: cpuPercent(r.whole), one: cpuPercent(r.one), many: cpuPercent(r.many) })),
        delivered: runs.map((r) => ({ whole: r.whole.delivered, one: r.one.delivered, many: r.many.delivered })),
        oneIncrementPercent: oneIncrement,
        noiseFloorPercent: noiseFloor,
      },
    }),
  ];
  const fanOut = figures[2];
  const gate =
    `Noise gate: the 1-subscriber phase added ${oneIncrement.toFixed(2)} % of a core on average over the no-subscriber window; ` +
    `the no-subscriber windows spread over ${noiseFloor.toFixed(2)} % (floor 0.5 %); judged only above twice that. ` +
    `Pooled over runs: ${pooledFanOutUs((r) => r.many).toFixed(2)} vs ${pooledFanOutUs((r) => r.one).toFixed(2)} µs/entry.`;
  if (fanOutMeasurable) {
    fanOut.notes.push(`${gate} Above it: judged.`);
  } else {
    fanOut.verdict = 'NOT MEASURED';
    fanOut.notes.push(`${gate} Not above it: the baseline, and so the ratio, is noise in this run (values kept as measured).`);
  }
  return figures;
}
