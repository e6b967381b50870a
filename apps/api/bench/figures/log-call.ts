// Figure 2: cost of one `logger.info(message, metadata)` of the real BufferedTaskLogger appending
// into a real LogBuffer, against pino writing the same message and metadata to /dev/null.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { BufferedTaskLogger } from '../../src/task-log/ingest/buffered-task-logger';
import { LogBuffer } from '../../src/task-log/ingest/log-buffer';
import type { LogRecord } from '../../src/task-log/ingest/log-record';
import { figure, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';
import type { ServerSettings } from '../lib/server';

/** Calls between two drains of the buffer (the drain is not timed: the flusher does it). */
const CHUNK = 10_000;
const MESSAGE = 'pushed 3 commits to origin/main in 412 ms';

interface Target {
  info(i: number): void;
  /** Untimed housekeeping between chunks. */
  drain(): void;
}

function ours(settings: ServerSettings): Target {
  const buffer = new LogBuffer(settings.bufferCapacity, settings.bufferMaxBytes);
  const logger = new BufferedTaskLogger(
    { append: (record: LogRecord) => buffer.push(record) },
    { taskLogLevelRank: 0 },
    randomUUID(),
    'git',
  );
  return {
    info: (i) => logger.info(MESSAGE, { ref: 'main', commits: 3, attempt: i }),
    drain: () => void buffer.take(buffer.length),
  };
}

function pinoToDevNull(): Target {
  const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  return {
    info: (i) => logger.info({ ref: 'main', commits: 3, attempt: i }, MESSAGE),
    drain: () => undefined,
  };
}

/** ns per call over `calls` calls, timing only the call loops. */
function run(target: Target, calls: number): number {
  let elapsed = 0n;
  for (let done = 0; done < calls; done += CHUNK) {
    const n = Math.min(CHUNK, calls - done);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) target.info(done + i);
    elapsed += process.hrtime.bigint() - start;
    target.drain();
  }
  return Number(elapsed) / calls;
}

export function logCallFigure(options: BenchOptions, settings: ServerSettings): FigureResult {
  const { logCallCalls, logCallReps } = options.sizes;
  const mine = ours(settings);
  const theirs = pinoToDevNull();
  // Warm-up: both optimised by the JIT before anything counts.
  run(mine, logCallCalls);
  run(theirs, logCallCalls);
  const values: number[] = [];
  const baseline: number[] = [];
  for (let rep = 0; rep < logCallReps; rep++) {
    // Alternate the order so that neither always runs right after a GC of the other's garbage.
    if (rep % 2 === 0) {
      values.push(run(mine, logCallCalls));
      baseline.push(run(theirs, logCallCalls));
    } else {
      baseline.push(run(theirs, logCallCalls));
      values.push(run(mine, logCallCalls));
    }
  }
  return figure({
    id: 'log-call',
    title: 'log call cost, `logger.info(msg, metadata)`',
    unit: 'ns/call',
    values,
    baselineTitle: 'pino → /dev/null, same message',
    baselineValues: baseline,
    target: '≤ 1.0 × pino',
    judge: (_v, _b, ratio) => ratio !== null && ratio <= 1.0,
    notes: [
      `In the bench process: the real BufferedTaskLogger (level check, sanitising, metadata → JSON, record) pushing into a real ` +
        `LogBuffer (capacity ${settings.bufferCapacity}); the buffer is emptied every ${CHUNK.toLocaleString('en')} calls outside the timed loop ` +
        `(the flusher's work), so memory stays flat. pino 10 with a synchronous destination on /dev/null, same message and metadata. ` +
        `${logCallReps} runs of ${logCallCalls.toLocaleString('en')} calls each, alternating order, after a warm-up run of each.`,
    ],
  });
}
