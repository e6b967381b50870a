// Figure 1: entries/s from log calls in running debug `emit` tasks until their last entry is
// committed, one task and 8 at once, against COPY of the same rows into the same table.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LogStats, Task } from '@taskdeck/contracts';
import { figure, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import { withClient } from '../lib/postgres';
import {
  logTotal,
  SERVER_STARTUP_MS,
  startTask,
  waitFinished,
  type BenchServer,
} from '../lib/server';
import { nowMs, sleep } from '../lib/stats';

const COPY_ROWS_PER_STATEMENT = 5000;
const COPY_SQL =
  'COPY task_log_entries (task_id, seq, ts, level, source, message, metadata) FROM STDIN';
const PAYLOAD_BYTES = 80;

/** The debug plugin's message for entry i (plugins/debug/debug.plugin.ts: padTo(base, 80)). */
function debugMessage(i: number, count: number): string {
  const base = `debug entry #${i} of ${count}`;
  return base.length >= PAYLOAD_BYTES
    ? base
    : `${base} ${'x'.repeat(PAYLOAD_BYTES - base.length - 1)}`;
}

/** COPY text of what `tasks` emit tasks of `count` entries store, interleaved as they would run. */
function copyStatements(tasks: number, count: number): string[] {
  const ids = Array.from({ length: tasks }, () => randomUUID());
  const statements: string[] = [];
  let piece = '';
  let rows = 0;
  const iso = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    for (const id of ids) {
      piece += `${id}\t${i + 1}\t${iso}\t${i % 4}\tdebug\t${debugMessage(i, count)}\t{"i": ${i}}\n`;
      if (++rows === COPY_ROWS_PER_STATEMENT) {
        statements.push(piece);
        piece = '';
        rows = 0;
      }
    }
  }
  if (piece) statements.push(piece);
  return statements;
}

/** Rows/s of COPY, one statement (own transaction) per 5,000 rows, one connection. */
async function copyRate(client: Client, tasks: number, count: number): Promise<number> {
  const statements = copyStatements(tasks, count);
  const start = nowMs();
  for (const text of statements) {
    await pipeline(Readable.from([text]), client.query(copyFrom(COPY_SQL)));
  }
  return (tasks * count) / ((nowMs() - start) / 1000);
}

/** Stored entries/s of `tasks` emit tasks started together: first startedAt → last finishedAt. */
async function serverRate(
  server: BenchServer,
  tasks: number,
  count: number,
): Promise<{ rate: number; entries: number }> {
  const started = await Promise.all(
    Array.from({ length: tasks }, () => startTask(server.api, { action: 'emit', count })),
  );
  const finished: Task[] = await Promise.all(started.map((t) => waitFinished(server.api, t.id)));
  for (const task of finished) {
    if (task.status !== 'SUCCESS') {
      throw new Error(`ingest task ${task.id} ended ${task.status}: ${task.error}`);
    }
  }
  const totals = await Promise.all(finished.map((t) => logTotal(server.api, t.id)));
  const entries = totals.reduce((a, b) => a + b, 0);
  const first = Math.min(...finished.map((t) => Date.parse(t.startedAt ?? '')));
  const last = Math.max(...finished.map((t) => Date.parse(t.finishedAt ?? '')));
  return { rate: entries / ((last - first) / 1000), entries };
}

/**
 * One emit task of `count` entries: stored ÷ emitted (the debug entries, source `emit`, against
 * `count`) and the wall time from its start to its last commit (finishedAt − startedAt: the final
 * status is stored only after the whole log is).
 */
async function bigTask(
  server: BenchServer,
  count: number,
  cooperative: boolean,
): Promise<{ stored: number; seconds: number }> {
  const task = await startTask(server.api, {
    action: 'emit',
    count,
    sources: ['emit'],
    yield: cooperative,
  });
  const done = await waitFinished(server.api, task.id, 900_000);
  if (done.status !== 'SUCCESS') {
    throw new Error(`big ingest task ended ${done.status}: ${done.error}`);
  }
  const stats = await server.api.get<LogStats>(`/api/tasks/${task.id}/logs/stats`);
  return {
    stored: stats.body.bySource.emit ?? 0,
    seconds: (Date.parse(done.finishedAt ?? '') - Date.parse(done.startedAt ?? '')) / 1000,
  };
}

async function reset(client: Client): Promise<void> {
  await client.query('TRUNCATE task_log_entries, task_log_counters');
  // The same starting point for every run: no dirty buffers of the previous one to write out.
  await client.query('CHECKPOINT').catch(() => undefined);
}

export async function ingestFigures(
  options: BenchOptions,
  server: BenchServer,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { ingestSingle, ingestPerTask, ingestReps, ingestBig } = options.sizes;
  const big: Record<'yield' | 'noYield', { stored: number; seconds: number }> = {
    yield: { stored: 0, seconds: 0 },
    noYield: { stored: 0, seconds: 0 },
  };
  let bigCopySeconds = 0;
  const single: number[] = [];
  const singleCopy: number[] = [];
  const eight: number[] = [];
  const eightCopy: number[] = [];
  let entries = { single: 0, eight: 0 };
  await withClient(databaseUrl, async (client) => {
    // Warm-up: JIT of the server's log path, the plugin, COPY; not counted.
    await reset(client);
    await serverRate(server, 1, Math.min(ingestSingle, 10_000));
    await copyRate(client, 1, Math.min(ingestSingle, 10_000));
    // Past the server's startup period (see SERVER_STARTUP_MS): the figures are about a running server.
    await sleep(Math.max(0, server.spawnedAt + SERVER_STARTUP_MS - Date.now()));
    for (let rep = 0; rep < ingestReps; rep++) {
      await reset(client);
      const one = await serverRate(server, 1, ingestSingle);
      single.push(one.rate);
      await reset(client);
      singleCopy.push(await copyRate(client, 1, one.entries));
      await reset(client);
      const many = await serverRate(server, 8, ingestPerTask);
      eight.push(many.rate);
      await reset(client);
      eightCopy.push(await copyRate(client, 8, Math.round(many.entries / 8)));
      entries = { single: one.entries, eight: many.entries };
      log(
        `  ingest rep ${rep + 1}/${ingestReps}: 1 task ${Math.round(one.rate)}/s (COPY ${Math.round(singleCopy[rep])}/s), ` +
          `8 tasks ${Math.round(many.rate)}/s (COPY ${Math.round(eightCopy[rep])}/s)`,
      );
    }
    // The big task, once each way: a plugin that yields, and one that ignores backpressure (the spill).
    for (const [key, cooperative] of [
      ['yield', true],
      ['noYield', false],
    ] as const) {
      await reset(client);
      big[key] = await bigTask(server, ingestBig, cooperative);
      log(
        `  ingest ${ingestBig.toLocaleString('en')} entries (${cooperative ? 'yield' : 'no yield'}): stored ${big[key].stored.toLocaleString('en')} in ${big[key].seconds.toFixed(1)} s`,
      );
    }
    await reset(client);
    bigCopySeconds = ingestBig / (await copyRate(client, 1, ingestBig));
    log(
      `  COPY of the same ${ingestBig.toLocaleString('en')} rows: ${bigCopySeconds.toFixed(1)} s`,
    );
    await reset(client);
  });
  const method =
    'Debug `emit` tasks over HTTP (POST /api/tasks); time = Task.finishedAt − Task.startedAt (both Postgres now(); ' +
    'the task manager commits the whole log before it stores the final status, so this spans first log call → last commit, ' +
    "plus the task start/finish updates; nothing subtracted). Entries = /logs/stats total (count + the manager's own lines). " +
    `After a warm-up task, and ${SERVER_STARTUP_MS / 1000} s or more after the server started: its first seconds are ` +
    "not a running server's (the live stream sends every batch through the Socket.IO adapter until it knows it has no peer instance).";
  const copy =
    'Baseline: the same rows (same message, metadata, level cycle, source) COPYed into the same table through pg-copy-streams, ' +
    `${COPY_ROWS_PER_STATEMENT} rows per COPY statement in its own transaction, one connection, text pre-encoded (timing covers COPY only). ` +
    'Tables truncated and CHECKPOINTed before every run.';
  const judge = (_v: unknown, _b: unknown, ratio: number | null): boolean =>
    ratio !== null && ratio >= 0.6;
  return [
    figure({
      id: 'ingest-1',
      title: `ingest, 1 task (${entries.single.toLocaleString('en')} entries)`,
      unit: 'entries/s',
      values: single,
      baselineTitle: 'COPY, same rows',
      baselineValues: singleCopy,
      target: '≥ 0.6 × COPY',
      higherIsBetter: true,
      judge,
      notes: [method, copy],
    }),
    figure({
      id: 'ingest-8',
      title: `ingest, 8 tasks at once (${entries.eight.toLocaleString('en')} entries)`,
      unit: 'entries/s',
      values: eight,
      baselineTitle: 'COPY, same rows',
      baselineValues: eightCopy,
      target: '≥ 0.6 × COPY',
      higherIsBetter: true,
      judge,
      notes: ['8 tasks started together; time = first startedAt → last finishedAt.'],
    }),
    ...(['yield', 'noYield'] as const).flatMap((key) => {
      const how =
        key === 'yield'
          ? 'awaiting context.yield() after each entry'
          : 'ignoring backpressure (yield: false): what the database does not take in time goes through the spill';
      return [
        figure({
          id: `ingest-big-${key === 'yield' ? 'yield' : 'spill'}-stored`,
          title: `ingest, 1 task of ${ingestBig.toLocaleString('en')} entries ${key === 'yield' ? '(yields)' : '(does not yield)'}: stored ÷ emitted`,
          unit: 'ratio',
          values: [big[key].stored / ingestBig],
          target: '= 1.0',
          judge: (v) => v.median === 1,
          notes: [
            `One debug emit task at full speed, ${how}; stored = the task's entries of source \`emit\` (/logs/stats bySource), emitted = ${ingestBig.toLocaleString('en')}. One run.`,
          ],
          details: big[key],
        }),
        figure({
          id: `ingest-big-${key === 'yield' ? 'yield' : 'spill'}-time`,
          title: `ingest, 1 task of ${ingestBig.toLocaleString('en')} entries ${key === 'yield' ? '(yields)' : '(does not yield)'}: time to the last commit`,
          unit: 's',
          values: [big[key].seconds],
          baselineTitle: 'COPY, same rows',
          baselineValues: [bigCopySeconds],
          target: 'INFO',
          notes: [
            'Task.finishedAt − Task.startedAt (the final status is stored only after the whole log is committed). ' +
              'Baseline: COPY of the same rows, 5,000 per statement, one connection. One run.',
          ],
        }),
      ];
    }),
  ];
}
