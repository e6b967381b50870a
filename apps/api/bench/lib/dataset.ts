// The query data set (figures 5–7): one task of `bigTask` entries plus `otherTasks` tasks of
// `otherTaskEntries` each, written with COPY (secondary indexes dropped for the load and rebuilt
// with the migration's own definitions), with matching tasks and task_log_counters rows.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { seededRandom } from './stats';

export const NEEDLE = 'lease conflict';
export const RARE_SOURCE = 'git';
const COPY_SQL =
  'COPY task_log_entries (task_id, seq, ts, level, source, message, metadata) FROM STDIN';
const ROWS_PER_COPY = 200_000;

export interface Dataset {
  bigTaskId: string;
  bigTaskEntries: number;
  taskIds: string[];
  totalEntries: number;
}

type Counts = Map<string, number>;

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  // Version 4, variant 10xx: a valid UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * Entry generator with realistic mixes: levels DEBUG 40 %, INFO 50 %, WARNING 8 %, ERROR 2 %;
 * sources worker 54 %, http 25 %, db 20 %, git 1 %; 0.1 % of messages carry the needle.
 */
class EntryWriter {
  private readonly random = seededRandom(20_240_601);
  readonly counters = new Map<string, Counts>();
  private readonly start = Date.UTC(2026, 0, 5, 8, 0, 0);

  rows(taskId: string, fromSeq: number, toSeq: number): string {
    let text = '';
    let counts = this.counters.get(taskId);
    if (!counts) this.counters.set(taskId, (counts = new Map<string, number>()));
    for (let seq = fromSeq; seq <= toSeq; seq++) {
      const r = this.random;
      const l = r();
      const level = l < 0.4 ? 0 : l < 0.9 ? 1 : l < 0.98 ? 2 : 3;
      const s = r();
      const source = s < 0.01 ? RARE_SOURCE : s < 0.55 ? 'worker' : s < 0.8 ? 'http' : 'db';
      const ms = Math.floor(r() * 900) + 1;
      const n = Math.floor(r() * 100_000);
      let message: string;
      if (r() < 0.001) message = `${NEEDLE} on shard ${n % 64}, retrying in ${ms} ms`;
      else if (source === 'worker') {
        message = `processed batch ${n} of job ${n % 977}: ${ms % 200} items in ${ms} ms`;
      } else if (source === 'http') {
        message = `GET /api/v1/items/${n} -> ${level >= 2 ? 503 : 200} in ${ms} ms`;
      } else if (source === 'db') {
        message = `query orders by customer took ${ms} ms (${n % 500} rows)`;
      } else message = `fetched origin/main at ${n.toString(16).padStart(7, '0')} in ${ms} ms`;
      const metadata = r() < 0.5 ? `{"ms": ${ms}, "attempt": ${(n % 3) + 1}}` : '\\N';
      const ts = new Date(this.start + seq * 7).toISOString();
      text += `${taskId}\t${seq}\t${ts}\t${level}\t${source}\t${message}\t${metadata}\n`;
      const key = `${level}\u0000${source}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return text;
  }
}

/** The rows in ingest-like order: big-task runs interleaved with whole small tasks. */
function* pieces(
  writer: EntryWriter,
  big: string,
  bigN: number,
  others: string[],
  otherN: number,
): Generator<string> {
  const slice = Math.max(1, Math.ceil(bigN / Math.max(1, others.length)));
  let next = 1;
  for (const other of others) {
    if (next <= bigN) {
      const to = Math.min(bigN, next + slice - 1);
      yield writer.rows(big, next, to);
      next = to + 1;
    }
    yield writer.rows(other, 1, otherN);
  }
  while (next <= bigN) {
    const to = Math.min(bigN, next + 9999);
    yield writer.rows(big, next, to);
    next = to + 1;
  }
}

/** Groups the generated pieces into COPY statements of about ROWS_PER_COPY rows. */
async function copyAll(
  client: Client,
  source: Generator<string>,
  rowsPerPiece: number,
): Promise<void> {
  let batch: string[] = [];
  let rows = 0;
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    await pipeline(Readable.from(batch), client.query(copyFrom(COPY_SQL)));
    batch = [];
    rows = 0;
  };
  for (const piece of source) {
    batch.push(piece);
    rows += rowsPerPiece;
    if (rows >= ROWS_PER_COPY) await flush();
  }
  await flush();
}

export async function loadDataset(
  client: Client,
  sizes: { bigTask: number; otherTasks: number; otherTaskEntries: number },
  log: (line: string) => void,
): Promise<Dataset> {
  const random = seededRandom(7);
  const bigTaskId = uuidFrom(random);
  const others = Array.from({ length: sizes.otherTasks }, () => uuidFrom(random));
  const taskIds = [bigTaskId, ...others];

  // The migration's indexes and primary key, exactly as defined, to rebuild after the load.
  const indexes = (
    await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'task_log_entries'`,
    )
  ).rows;
  const pk = (
    await client.query<{ conname: string; def: string }>(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'task_log_entries'::regclass AND contype = 'p'`,
    )
  ).rows[0];
  for (const index of indexes) {
    if (index.indexname !== pk.conname) await client.query(`DROP INDEX ${index.indexname}`);
  }
  await client.query(`ALTER TABLE task_log_entries DROP CONSTRAINT ${pk.conname}`);

  let started = Date.now();
  const writer = new EntryWriter();
  await copyAll(
    client,
    pieces(writer, bigTaskId, sizes.bigTask, others, sizes.otherTaskEntries),
    sizes.otherTaskEntries,
  );
  const total = sizes.bigTask + sizes.otherTasks * sizes.otherTaskEntries;
  log(
    `  data set: ${total.toLocaleString('en')} rows copied in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  started = Date.now();
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`ALTER TABLE task_log_entries ADD CONSTRAINT ${pk.conname} ${pk.def}`);
  for (const index of indexes) {
    if (index.indexname !== pk.conname) await client.query(index.indexdef);
  }
  log(`  data set: indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await client.query(
    `INSERT INTO tasks (id, plugin_id, params, status, progress, created_by, created_at, started_at, finished_at)
     SELECT id, 'debug', '{}'::jsonb, 'SUCCESS', 100, 'bench', now(), now(), now() FROM unnest($1::uuid[]) AS t(id)`,
    [taskIds],
  );
  const counter = {
    taskIds: [] as string[],
    levels: [] as number[],
    sources: [] as string[],
    counts: [] as number[],
  };
  for (const [taskId, counts] of writer.counters) {
    for (const [key, count] of counts) {
      const [level, source] = key.split('\u0000');
      counter.taskIds.push(taskId);
      counter.levels.push(Number(level));
      counter.sources.push(source);
      counter.counts.push(count);
    }
  }
  await client.query(
    `INSERT INTO task_log_counters (task_id, level, source, count)
     SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::bigint[])`,
    [counter.taskIds, counter.levels, counter.sources, counter.counts],
  );
  started = Date.now();
  await client.query('VACUUM ANALYZE task_log_entries');
  await client.query('VACUUM ANALYZE task_log_counters');
  await client.query('VACUUM ANALYZE tasks');
  log(`  data set: VACUUM ANALYZE in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { bigTaskId, bigTaskEntries: sizes.bigTask, taskIds, totalEntries: total };
}
