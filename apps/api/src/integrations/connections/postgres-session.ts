// A short session on a connection's PostgreSQL (pg): bounded connect and statement time, every
// query logged at DEBUG under `postgres` when a task logger is given (the SQL and its duration,
// never the password), and failures as sentences that name the server, not a stack.
import { Client } from 'pg';
import type { TaskLogger } from '../../plugin-api';

export interface PostgresTarget {
  name: string;
  host: string;
  port: number;
  database: string;
  username: string;
  password?: string;
}

export interface PostgresSession {
  query<T>(sql: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface PostgresSessionOptions {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Queries are logged here at DEBUG (a task's logger with source `postgres`). */
  logger?: TaskLogger;
}

export class PostgresFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresFailure';
  }
}

export function describeTarget(target: PostgresTarget): string {
  return `PostgreSQL "${target.name}" at ${target.host}:${target.port}/${target.database}`;
}

/** The driver's error as a sentence naming the server (pg's messages never hold the password). */
export function postgresFailure(target: PostgresTarget, error: unknown): PostgresFailure {
  if (error instanceof PostgresFailure) return error;
  const e = error as { code?: string; message?: string };
  const said = e?.message || e?.code || String(error);
  return new PostgresFailure(`${describeTarget(target)}: ${said}`);
}

export async function openPostgres(
  target: PostgresTarget,
  options: PostgresSessionOptions = {},
): Promise<PostgresSession> {
  const client = new Client({
    host: target.host.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    database: target.database,
    user: target.username,
    password: target.password,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    application_name: 'taskdeck',
  });
  // A connection dropped later must not crash the process: the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw postgresFailure(target, error);
  }
  return {
    async query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
      const started = performance.now();
      try {
        const result = await client.query(sql, values);
        const ms = Math.round(performance.now() - started);
        options.logger?.debug(`${oneLine(sql)} → ${result.rowCount ?? 0} row(s) (${ms} ms)`, {
          rows: result.rowCount,
          ms,
        });
        return result.rows as T[];
      } catch (error) {
        throw postgresFailure(target, error);
      }
    },
    close: () => client.end().catch(() => undefined),
  };
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
