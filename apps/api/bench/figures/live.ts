// Figures 3 and 4: live latency (log call → socket.io-client receipt) at about 10k entries/s with
// 1 subscriber and with 200 subscribers over 10 filters, and the server's CPU per delivered entry
// (against 1 subscriber, and per frame against a bare Socket.IO server sending the same frames).
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LogEntry, SubscribeAck, SubscribeRequest } from '@taskdeck/contracts';
import type { Socket } from 'socket.io-client';
import { connect, connected } from '../../test/utils/socket-client';
import { figure, notMeasured, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import {
  cancelTask,
  cpuTimePreciseMs,
  logTotal,
  SERVER_STARTUP_MS,
  startTask,
  waitFinished,
  type BenchServer,
} from '../lib/server';
import { startSocketFloor } from '../lib/socket-floor';
import { quantile, sleep } from '../lib/stats';

const TARGET_RATE = 10_000;
const SUBSCRIBERS = 200;
const FILTERS = 10;
const SOURCES = ['app', 'db'];
/** Wait after subscribing before a window opens (catch-up replays done); shorter in quick runs. */
const SETTLE_MS = { full: 1500, quick: 1000 };

interface Phase {
  latencies: number[];
  delivered: number;
  /** `logs` events received (one WebSocket frame each). */
  packets: number;
  cpuMs: number;
  seconds: number;
  rate: number;
  /** p99 event-loop delay of this (client) process during the window, ms. */
  clientLagP99: number;
  /** Longest event-loop delay of this (client) process during the window, ms. */
  clientLagMax: number;
  /** `logs` events received in the window, a uniform sample, as received (payloads for the Socket.IO floor). */
  samples: unknown[];
}

/** The bare Socket.IO server's window: idle, then broadcasting the same frames to the same clients. */
interface FloorRun {
  idleCpuMs: number;
  idleSeconds: number;
  cpuMs: number;
  seconds: number;
  frames: number;
}

const SAMPLE_EVENTS = 200;
/**
 * Per frame, the fan-out to 200 subscribers may cost at most this much more than a bare Socket.IO
 * server sending the same frames (room payload encoded once, one write per member). Between what
 * the room emit measures here (0.7–1.0×) and what a variant that emitted to each socket, encoding
 * per client, measured (1.27×): room for run-to-run noise, not for per-client work.
 */
const FLOOR_MAX = 1.1;

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
  return (await Promise.all(taskIds.map((id) => logTotal(server.api, id)))).reduce(
    (a, b) => a + b,
    0,
  );
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
async function measure(
  server: BenchServer,
  sockets: Socket[],
  seconds: number,
  taskIds: readonly string[],
  settleMs: number,
): Promise<Phase> {
  const latencies: number[] = [];
  let delivered = 0;
  let packets = 0;
  let open = false;
  const samples: unknown[] = [];
  const onLogs = (event: { entries: LogEntry[] }): void => {
    if (!open) return;
    // Reservoir sampling: every event of the window equally likely to be kept.
    if (samples.length < SAMPLE_EVENTS) samples.push(event);
    else if (Math.random() * (packets + 1) < SAMPLE_EVENTS) {
      samples[Math.floor(Math.random() * SAMPLE_EVENTS)] = event;
    }
    const now = Date.now();
    for (const entry of event.entries) latencies.push(now - Date.parse(entry.timestamp));
    delivered += event.entries.length;
    packets++;
  };
  for (const socket of sockets) socket.on('logs', onLogs);
  await sleep(settleMs);
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
    packets,
    cpuMs: cpuAfter - cpuBefore,
    seconds: elapsed,
    rate: (totalAfter - totalBefore) / elapsed,
    clientLagP99: lag.percentile(99) / 1e6,
    clientLagMax: lag.max / 1e6,
    samples,
  };
}

/**
 * The floor of the fan-out: a bare Socket.IO server (no Taskdeck) broadcasting the frames the 200
 * subscribers received, at the rate they received them, to as many clients in as many rooms. Its
 * CPU per frame is Socket.IO's own cost per client frame here: one WebSocket write of a frame
 * encoded once per room.
 */
async function measureFloor(
  samples: unknown[],
  framesPerSocketPerSecond: number,
  reps: number,
  seconds: number,
  settleMs: number,
  token: string,
): Promise<FloorRun[]> {
  const floor = await startSocketFloor();
  let sockets: Socket[] = [];
  try {
    sockets = await openClients(floor.url, token, SUBSCRIBERS, (i) => ({
      room: String(i % FILTERS),
    }));
    for (const socket of sockets) socket.on('logs', () => undefined);
    await sleep(settleMs);
    // Warm-up (not counted), as on the peer: the send path compiled, the heap grown.
    floor.start(samples, FILTERS, 1000 / framesPerSocketPerSecond);
    await sleep(seconds * 1000);
    await floor.stop();
    const runs: FloorRun[] = [];
    const idleSeconds = Math.min(3, seconds);
    for (let rep = 0; rep < reps; rep++) {
      const idleBefore = await cpuTimePreciseMs(floor.pid);
      const idleStart = Date.now();
      await sleep(idleSeconds * 1000);
      const idleCpuMs = (await cpuTimePreciseMs(floor.pid)) - idleBefore;
      const idleElapsed = (Date.now() - idleStart) / 1000;
      floor.start(samples, FILTERS, 1000 / framesPerSocketPerSecond);
      const before = await cpuTimePreciseMs(floor.pid);
      const start = Date.now();
      await sleep(seconds * 1000);
      const cpuMs = (await cpuTimePreciseMs(floor.pid)) - before;
      const elapsed = (Date.now() - start) / 1000;
      const frames = await floor.stop();
      runs.push({ idleCpuMs, idleSeconds: idleElapsed, cpuMs, seconds: elapsed, frames });
      await sleep(500);
    }
    return runs;
  } finally {
    for (const socket of sockets) socket.close();
    await floor.close();
  }
}

/** `count` connected sockets, opened 20 at a time; `query` gives client i its handshake query. */
async function openClients(
  url: string,
  token: string,
  count: number,
  query?: (i: number) => Record<string, string>,
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, k) =>
      connect(url, token, query?.(i + k)),
    );
    await Promise.all(batch.map((s) => connected(s)));
    sockets.push(...batch);
  }
  return sockets;
}

export async function liveFigures(
  options: BenchOptions,
  server: BenchServer,
  startPeer: () => Promise<BenchServer>,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { liveSeconds, liveReps } = options.sizes;
  // A running server, past its startup period (a no-op after the ingest figures).
  await sleep(Math.max(0, server.spawnedAt + SERVER_STARTUP_MS - Date.now()));
  const perTask = await calibrate(server);
  if (!(perTask > 0)) {
    const reason = 'debug emit tasks with intervalMs 1 produced no entries';
    return [
      notMeasured('live-1', 'live latency, 1 subscriber', 'p99 ≤ 100 ms', reason),
      notMeasured('live-200', 'live latency, 200 subscribers / 10 filters', 'p99 ≤ 100 ms', reason),
      notMeasured(
        'fanout-cpu',
        'server CPU per delivered entry, 200 vs 1 subscriber',
        'grows with filters, not clients',
        reason,
      ),
    ];
  }
  const taskCount = Math.max(FILTERS, Math.min(60, Math.round(TARGET_RATE / perTask)));
  log(
    `  live: one emit task (intervalMs 1) ≈ ${Math.round(perTask)} entries/s → ${taskCount} tasks`,
  );
  // Fan-out CPU windows are twice as long in the full run: one subscriber's share of a core is small.
  const cpuSeconds = options.quick ? liveSeconds : 2 * liveSeconds;
  const settleMs = options.quick ? SETTLE_MS.quick : SETTLE_MS.full;
  // Latency: 2 phases per run on the server; fan-out CPU: a warm-up, then 3 per run on the peer;
  // then the Socket.IO floor.
  const phaseSeconds =
    liveReps * 2 * (liveSeconds + 8) +
    (liveReps * 3 + 1) * (cpuSeconds + 8) +
    (liveReps + 1) * (cpuSeconds + 4) +
    60;
  const count = Math.min(1_000_000, Math.ceil(perTask * phaseSeconds * 1.5));
  const tasks = await Promise.all(
    Array.from({ length: taskCount }, () =>
      startTask(server.api, { action: 'emit', count, intervalMs: 1, sources: SOURCES }),
    ),
  );
  const taskIds = tasks.map((t) => t.id);
  const latencyRuns: { whole: Phase; many: Phase }[] = [];
  const cpuRuns: { none: Phase; one: Phase; many: Phase }[] = [];
  let floorRuns: FloorRun[] = [];
  let floorError = 'not run';
  let peer: BenchServer | null = null;
  try {
    await sleep(1000);
    // Latency, on the one instance that runs the tasks (a single instance: nothing crosses the adapter).
    for (let rep = 0; rep < liveReps; rep++) {
      // One subscriber: every running task, unfiltered, so it receives the whole stream.
      const [watcher] = await openClients(server.url, server.token, 1);
      for (const id of taskIds) await subscribe(watcher, { taskId: id });
      const whole = await measure(server, [watcher], liveSeconds, taskIds, settleMs);
      watcher.close();

      const sockets = await openClients(server.url, server.token, SUBSCRIBERS);
      await Promise.all(sockets.map((s, i) => subscribe(s, filterOf(i % FILTERS, taskIds))));
      const many = await measure(server, sockets, liveSeconds, taskIds, settleMs);
      for (const s of sockets) s.close();

      latencyRuns.push({ whole, many });
      log(
        `  live rep ${rep + 1}/${liveReps}: ingest ${Math.round(whole.rate)}/s; 1 sub p50 ${quantile(whole.latencies, 0.5)} p99 ${quantile(whole.latencies, 0.99)} ms ` +
          `(${whole.delivered} entries, client lag p99 ${whole.clientLagP99.toFixed(0)} max ${whole.clientLagMax.toFixed(0)} ms); 200 subs p50 ${quantile(many.latencies, 0.5)} p99 ${quantile(many.latencies, 0.99)} ms ` +
          `(${many.delivered} entries, client lag p99 ${many.clientLagP99.toFixed(0)} max ${many.clientLagMax.toFixed(0)} ms)`,
      );
    }

    // Fan-out CPU, on a second instance of the cluster that runs no task: its CPU is the fan-out of
    // batches arriving from the first, without the ingest's noise (10-20 % of a core, swinging by
    // a few %), against which one subscriber's share (well under 1 %) could not be told apart.
    // No startup period to wait out: the peer runs no task, so it has nothing to broadcast; the
    // warm-up below compiles its fan-out path.
    peer = await startPeer();
    const manyOnPeer = async (seconds: number): Promise<Phase> => {
      const sockets = await openClients(peer!.url, peer!.token, SUBSCRIBERS);
      await Promise.all(sockets.map((s, i) => subscribe(s, filterOf(i % FILTERS, taskIds))));
      const phase = await measure(peer!, sockets, seconds, taskIds, settleMs);
      for (const s of sockets) s.close();
      return phase;
    };
    // Warm-up (not counted): the peer's fan-out path compiled, its heap grown to the load.
    await manyOnPeer(liveSeconds);
    for (let rep = 0; rep < liveReps; rep++) {
      const none = await measure(peer, [], cpuSeconds, taskIds, settleMs);

      // The baseline: one subscriber holding the same 10 filters as the 200 below.
      const [single] = await openClients(peer.url, peer.token, 1);
      for (let f = 0; f < FILTERS; f++) await subscribe(single, filterOf(f, taskIds));
      const one = await measure(peer, [single], cpuSeconds, taskIds, settleMs);
      single.close();

      const many = await manyOnPeer(cpuSeconds);

      cpuRuns.push({ none, one, many });
      log(
        `  fan-out rep ${rep + 1}/${liveReps} (peer instance): ingest ${Math.round(none.rate)}/s; 1 sub × 10 filters ${one.delivered} entries; ` +
          `200 subs ${many.delivered} entries, p99 ${quantile(many.latencies, 0.99)} ms; ` +
          `peer CPU ${cpuPercent(none).toFixed(2)}% / ${cpuPercent(one).toFixed(2)}% / ${cpuPercent(many).toFixed(2)}%`,
      );
    }

    // The same frames, at the same rate, to as many clients from a bare Socket.IO server (same load
    // on the machine: the tasks still run on the first instance).
    const frameRate =
      cpuRuns.reduce((sum, r) => sum + r.many.packets / r.many.seconds, 0) /
      cpuRuns.length /
      SUBSCRIBERS;
    try {
      floorRuns = await measureFloor(
        cpuRuns.flatMap((r) => r.many.samples),
        frameRate,
        liveReps,
        cpuSeconds,
        settleMs,
        server.token,
      );
    } catch (error) {
      floorError = (error as Error).message;
    }
    log(
      `  Socket.IO floor (${Math.round(frameRate * SUBSCRIBERS)} frames/s, as the peer sent): ${floorRuns.map((r) => `${Math.round(r.frames / r.seconds)} frames/s, CPU ${(r.cpuMs / r.seconds / 10).toFixed(2)}% (idle ${(r.idleCpuMs / r.idleSeconds / 10).toFixed(2)}%)`).join('; ')}`,
    );
  } finally {
    await peer?.stop();
    await Promise.all(taskIds.map((id) => cancelTask(server.api, id)));
    await Promise.all(taskIds.map((id) => waitFinished(server.api, id)));
  }

  const p99 = (phase: Phase): number => quantile(phase.latencies, 0.99);
  /** Server CPU the subscribers added over the same rep's no-subscriber window, per delivered entry. */
  const fanOutUs = (phase: Phase, none: Phase): number =>
    ((phase.cpuMs / phase.seconds - none.cpuMs / none.seconds) * phase.seconds * 1000) /
    phase.delivered;
  const rates = latencyRuns.map((r) => Math.round((r.whole.rate + r.many.rate) / 2));
  const pooled = (phases: Phase[]): Record<string, number> => {
    const all = phases.flatMap((phase) => phase.latencies);
    return {
      p50: quantile(all, 0.5),
      p95: quantile(all, 0.95),
      p99: quantile(all, 0.99),
      max: quantile(all, 1),
      samples: all.length,
    };
  };
  const setup =
    `${taskCount} debug emit tasks (intervalMs 1, sources app/db) run together for ≈ ${TARGET_RATE.toLocaleString('en')} entries/s in total ` +
    `(measured: ${rates.join(', ')} entries/s); ${liveReps} runs of ${liveSeconds} s per latency phase (fan-out CPU: ${cpuSeconds} s). Latency = receipt time (Date.now() in the ` +
    `'logs' handler) − entry.timestamp (stamped at the log call; same machine clock, ms resolution). Value per run = that run's p99.`;
  const latencyJudge = (v: { median: number }): boolean => v.median <= 100;
  // One subscriber's increment is small: below the spread of the no-subscriber windows it is
  // noise, and so would be the ratio.
  const nonePercents = cpuRuns.map((r) => cpuPercent(r.none));
  const noiseFloor = Math.max(0.2, Math.max(...nonePercents) - Math.min(...nonePercents));
  const oneIncrement =
    cpuRuns.reduce((sum, r) => sum + cpuPercent(r.one) - cpuPercent(r.none), 0) / cpuRuns.length;
  const fanOutMeasurable = oneIncrement > 2 * noiseFloor;
  /** Fan-out CPU (ms over the no-subscriber rate) summed over the runs ÷ entries delivered, in µs. */
  const pooledFanOutUs = (pick: (r: (typeof cpuRuns)[number]) => Phase): number =>
    (cpuRuns.reduce(
      (sum, r) => sum + pick(r).cpuMs - (r.none.cpuMs / r.none.seconds) * pick(r).seconds,
      0,
    ) *
      1000) /
    cpuRuns.reduce((sum, r) => sum + pick(r).delivered, 0);
  const pooledRatio = pooledFanOutUs((r) => r.many) / pooledFanOutUs((r) => r.one);
  const entriesPerFrame200 =
    cpuRuns.reduce((sum, r) => sum + r.many.delivered, 0) /
    Math.max(
      1,
      cpuRuns.reduce((sum, r) => sum + r.many.packets, 0),
    );
  const pooledPerFrameUs = pooledFanOutUs((r) => r.many) * entriesPerFrame200;
  /** The floor's CPU over its idle rate, per frame sent, in µs. */
  const floorUs = (runs: FloorRun[]): number =>
    (runs.reduce((sum, r) => sum + r.cpuMs - (r.idleCpuMs / r.idleSeconds) * r.seconds, 0) * 1000) /
    Math.max(
      1,
      runs.reduce((sum, r) => sum + r.frames, 0),
    );
  const pooledFloorUs = floorUs(floorRuns);
  const floorSamples = cpuRuns.flatMap((r) => r.many.samples) as { entries: unknown[] }[];
  const floorSampleEntries =
    floorSamples.reduce((sum, e) => sum + e.entries.length, 0) / Math.max(1, floorSamples.length);
  /** The lowest fan-out ratio any Socket.IO server could show here: its own per-frame cost alone. */
  const floorRatio = pooledFloorUs / entriesPerFrame200 / pooledFanOutUs((r) => r.one);
  /** Taskdeck's fan-out CPU per frame with 200 subscribers ÷ Socket.IO's alone (pooled); NaN without a floor. */
  const perFrameToFloor = floorRuns.length ? pooledPerFrameUs / pooledFloorUs : NaN;
  const figures = [
    figure({
      id: 'live-1',
      title: 'live latency p99, 1 subscriber (every task, no filter: the whole stream)',
      unit: 'ms',
      values: latencyRuns.map((r) => p99(r.whole)),
      target: 'p99 ≤ 100 ms',
      judge: latencyJudge,
      notes: [
        setup,
        `One socket subscribed to each of the ${taskCount} running tasks, unfiltered: it receives every entry ` +
          `(${latencyRuns.map((r) => Math.round(r.whole.delivered / r.whole.seconds)).join(', ')} entries/s). ` +
          `Event-loop delay p99 of the client process per run: ${latencyRuns.map((r) => r.whole.clientLagP99.toFixed(0)).join(', ')} ms ` +
          '(part of the latency when the machine is busy). Load average at the end: ' +
          loadavg()
            .map((l) => l.toFixed(1))
            .join(' ') +
          '.',
      ],
      details: {
        pooled: pooled(latencyRuns.map((r) => r.whole)),
        delivered: latencyRuns.map((r) => r.whole.delivered),
        rates,
        clientLagP99: latencyRuns.map((r) => r.whole.clientLagP99),
      },
    }),
    figure({
      id: 'live-200',
      title: 'live latency p99, 200 subscribers over 10 filters',
      unit: 'ms',
      values: latencyRuns.map((r) => p99(r.many)),
      target: 'p99 ≤ 100 ms',
      judge: latencyJudge,
      notes: [
        `${SUBSCRIBERS} sockets, 20 per filter; filter f is task f with no filter, level ≥ WARNING or sources [app] (f mod 3). ` +
          `Client event-loop delay p99 per run: ${latencyRuns.map((r) => r.many.clientLagP99.toFixed(0)).join(', ')} ms.`,
      ],
      details: {
        pooled: pooled(latencyRuns.map((r) => r.many)),
        delivered: latencyRuns.map((r) => r.many.delivered),
        clientLagP99: latencyRuns.map((r) => r.many.clientLagP99),
      },
    }),
    figure({
      id: 'live-200-peer',
      title:
        'live latency p99, 200 subscribers over 10 filters, on another instance than the tasks',
      unit: 'ms',
      values: cpuRuns.map((r) => p99(r.many)),
      target: '— (two instances; the socket adapter in between)',
      notes: [
        `The fan-out CPU phase below: the same ${SUBSCRIBERS} subscribers on a second instance of the cluster, the tasks on the first. ` +
          `Each committed batch crosses through the Socket.IO adapter (PostgreSQL, or Redis when REDIS_URL is set) once per instance.`,
      ],
      details: { pooled: pooled(cpuRuns.map((r) => r.many)) },
    }),
    figure({
      id: 'fanout-cpu',
      title: 'server fan-out CPU per delivered entry, 200 subscribers over 10 filters',
      unit: 'µs/entry',
      values: cpuRuns.map((r) => fanOutUs(r.many, r.none)),
      baselineTitle: 'same, 1 subscriber holding the 10 filters',
      baselineValues: cpuRuns.map((r) => fanOutUs(r.one, r.none)),
      target: `grows with filters, not clients: below 1 subscriber's, and per frame ≤ ${FLOOR_MAX} × Socket.IO alone (next row; pooled)`,
      ratioBasis: 'pooled',
      pooledRatio,
      judge: (_v, _b, ratio) =>
        ratio !== null && ratio > 0 && ratio < 1 && perFrameToFloor <= FLOOR_MAX,
      notes: [
        'Measured on a second instance of the cluster, started for it, which runs no task: the tasks log on the first, and each ' +
          'committed batch reaches the second through the Socket.IO adapter, as when consoles connect to other instances than the ' +
          "one running a task. Fan-out CPU = that instance's CPU (sum of its threads' run time, /proc/<pid>/task/*/schedstat) " +
          "during the window minus the same rep's no-subscriber window (per second), divided by the entries its clients received. " +
          'Both phases have the same 10 rooms: 1 client holding all 10 filters vs 20 clients per filter, so 20× the deliveries. ' +
          'Per room (filter) and batch the server filters and encodes once; per client it writes one WebSocket frame. What is ' +
          "judged is that per-client part: the 200 subscribers' CPU per frame against a bare Socket.IO server sending the same " +
          "frames (next row). Most of a frame's cost is its write, which on loopback also pays for the receiving side of TCP, " +
          'so encoding per client shows only as about a third more per frame; the integration test "encodes each live batch ' +
          'once per filter" checks the design itself. ' +
          `Peer CPU % (no subscriber / 1 subscriber × 10 filters / 200): ${cpuRuns.map((r) => `${cpuPercent(r.none).toFixed(2)}/${cpuPercent(r.one).toFixed(2)}/${cpuPercent(r.many).toFixed(2)}`).join(', ')}; ` +
          `entries delivered (1 / 200): ${cpuRuns.map((r) => `${r.one.delivered}/${r.many.delivered}`).join(', ')}, ` +
          `in ${cpuRuns.map((r) => `${r.one.packets}/${r.many.packets}`).join(', ')} 'logs' frames ` +
          `(${entriesPerFrame200.toFixed(1)} entries per frame with 200). ` +
          `Fan-out CPU per frame with 200: ${pooledPerFrameUs.toFixed(1)} µs. ` +
          'Task status/progress events go to every socket and are included.',
        ...(floorRuns.length
          ? [
              `What Socket.IO alone costs: a bare Socket.IO server sending the same frames to as many clients, measured the same ` +
                `way, takes ${pooledFloorUs.toFixed(1)} µs per frame (next row), ${(pooledFloorUs / entriesPerFrame200).toFixed(2)} µs per ` +
                `delivered entry at ${entriesPerFrame200.toFixed(1)} entries per frame: on its own ${floorRatio.toFixed(2)} × the ` +
                '1-subscriber figure. That share grows with clients in any server on Socket.IO; only bigger frames (more entries per ' +
                `write) would lower it. Taskdeck per frame: ${perFrameToFloor.toFixed(2)} × Socket.IO alone (pooled).`,
            ]
          : []),
      ],
      details: {
        cpuPercent: cpuRuns.map((r) => ({
          none: cpuPercent(r.none),
          one: cpuPercent(r.one),
          many: cpuPercent(r.many),
        })),
        delivered: cpuRuns.map((r) => ({ one: r.one.delivered, many: r.many.delivered })),
        frames: cpuRuns.map((r) => ({ one: r.one.packets, many: r.many.packets })),
        fanOutUsPerFrame200: pooledPerFrameUs,
        oneIncrementPercent: oneIncrement,
        noiseFloorPercent: noiseFloor,
        floorRatio: floorRuns.length ? floorRatio : null,
      },
    }),
    floorRuns.length
      ? figure({
          id: 'fanout-floor',
          title: 'fan-out CPU per frame with 200 subscribers, against Socket.IO alone',
          unit: 'µs/frame',
          values: cpuRuns.map(
            (r) => (fanOutUs(r.many, r.none) * r.many.delivered) / Math.max(1, r.many.packets),
          ),
          baselineTitle:
            'a bare Socket.IO server sending the same frames to 200 clients in 10 rooms',
          baselineValues: floorRuns.map((r) => floorUs([r])),
          target: "— (what each client costs beyond the transport's own write)",
          notes: [
            'The baseline runs in a child process with no Taskdeck in it: the frames the 200 subscribers received (a uniform sample ' +
              `of ${SAMPLE_EVENTS} events per run, ${floorSampleEntries.toFixed(1)} entries each on average, sent in turn), at the ` +
              `rate they received them, to ${SUBSCRIBERS} socket.io-client ` +
              `connections in ${FILTERS} rooms, each payload encoded once per room, while the tasks still run on the first instance. ` +
              "Its CPU (threads' run time) over its idle rate ÷ frames sent. That is one WebSocket write per client and frame; on " +
              'loopback the write also pays for the receiving side of TCP. ' +
              `Runs: ${floorRuns.map((r) => `${r.frames} frames in ${r.seconds.toFixed(1)} s`).join(', ')}.`,
          ],
          details: { floorRuns },
        })
      : notMeasured(
          'fanout-floor',
          'fan-out CPU per frame with 200 subscribers, against Socket.IO alone',
          '—',
          floorError,
        ),
  ];
  const fanOut = figures[3];
  const gate =
    `Noise gate: the 1-subscriber phase added ${oneIncrement.toFixed(2)} % of a core on average over the no-subscriber window; ` +
    `the no-subscriber windows spread over ${noiseFloor.toFixed(2)} % (floor 0.2 %); judged only above twice that. ` +
    `Pooled over runs: ${pooledFanOutUs((r) => r.many).toFixed(2)} vs ${pooledFanOutUs((r) => r.one).toFixed(2)} µs/entry.`;
  if (!floorRuns.length) {
    fanOut.verdict = 'NOT MEASURED';
    fanOut.notes.push(`${gate} Not judged: the Socket.IO floor was not measured (${floorError}).`);
  } else if (fanOutMeasurable) {
    fanOut.notes.push(`${gate} Above it: judged.`);
  } else {
    fanOut.verdict = 'NOT MEASURED';
    fanOut.notes.push(
      `${gate} Not above it: the baseline, and so the ratio, is noise in this run (values kept as measured).`,
    );
  }
  return figures;
}

function cpuPercent(phase: Phase): number {
  return phase.cpuMs / phase.seconds / 10;
}
