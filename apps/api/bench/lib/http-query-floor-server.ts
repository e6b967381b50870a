// Child process of the HTTP figures: a bare node:http server, no framework, that answers a log page
// and stats by running the very statements Taskdeck's routes run (pageQuery, STATS_SQL, as named
// prepared statements in pg's text-row mode) and writing the same JSON (logPageJson,
// statsOfCounters). What a request costs on this machine when the server does nothing but the
// query: the second floor of the page and stats figures, between the bare floor and Taskdeck.
// Serves GET /api/tasks/:id/logs?limit=&afterSeq= (forward pages, no filter) and
// GET /api/tasks/:id/logs/stats; anything else: 404. Protocol (IPC): sends {type: 'listening', port}.
// The database: QUERY_FLOOR_DATABASE_URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { pageQuery } from '../../src/task-log/query/log-entries-query';
import { parseLogFilter } from '../../src/task-log/query/log-filter';
import { logPageJson, type RawEntry } from '../../src/task-log/query/log-page-json';
import {
  STATS_SQL,
  TEXT_ROWS,
  statsOfCounters,
  type CounterRow,
} from '../../src/task-log/query/task-log-reader.service';
import type { HttpFloorReply } from './http-floor-server';

const pool = new Pool({ connectionString: process.env.QUERY_FLOOR_DATABASE_URL, max: 4 });
const NO_FILTER = parseLogFilter({});
const ROUTE = /^\/api\/tasks\/([0-9a-f-]{36})\/logs(\/stats)?$/;

async function stats(taskId: string): Promise<string> {
  const { rows } = await pool.query<CounterRow>({
    name: 'floor_stats',
    text: STATS_SQL,
    values: [taskId],
  });
  return JSON.stringify(statsOfCounters(rows));
}

/** A forward page, as TaskLogReader.pageJson answers it (its `before === null` branch). */
async function page(taskId: string, limit: number, after: number): Promise<string> {
  const older = after > 0 ? { after: 0, before: after + 1 } : null;
  const { sql, params } = pageQuery(taskId, NO_FILTER, { after, before: null }, 'asc', limit + 1, {
    older,
    newer: null,
  });
  const { rows } = await pool.query<[string, string, ...unknown[]]>({
    name: `floor_page_${older ? 'older' : 'first'}`,
    text: sql,
    values: params,
    ...TEXT_ROWS,
  });
  const found = rows.filter((row) => row[2] !== null).map((row) => row.slice(2) as RawEntry);
  const entries = found.slice(0, limit);
  const seqOf = (row: RawEntry | undefined): number | undefined =>
    row === undefined ? undefined : Number(row[0]);
  return logPageJson(taskId, {
    entries,
    nextCursor: found.length > limit ? seqOf(entries[entries.length - 1])! : null,
    prevCursor: rows[0]?.[0] === 't' ? (seqOf(entries[0]) ?? after + 1) : null,
  });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const match = ROUTE.exec(url.pathname);
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const answer = match[2]
    ? stats(match[1])
    : page(
        match[1],
        Number(url.searchParams.get('limit') ?? 100),
        Number(url.searchParams.get('afterSeq') ?? 0),
      );
  answer.then(
    (body) => {
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    },
    (error: Error) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(error.message);
    },
  );
});
server.keepAliveTimeout = 60_000;

const send = (reply: HttpFloorReply): void => void process.send?.(reply);
process.on('disconnect', () => server.close(() => void pool.end().then(() => process.exit(0))));

server.listen(0, '127.0.0.1', () => {
  send({ type: 'listening', port: (server.address() as AddressInfo).port });
});
