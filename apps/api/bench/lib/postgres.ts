// The database under the benchmark: DATABASE_URL when set, otherwise an embedded PostgreSQL in a
// temporary directory (started here, so that it can also be paused with SIGSTOP for figure 8).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchCluster {
  /** URL of a database we may CREATE DATABASE from. */
  adminUrl: string;
  embedded: boolean;
  /** Postgres server processes (postmaster first), for SIGSTOP/SIGCONT; empty when not ours. */
  processIds(): Promise<number[]>;
  stop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function provideCluster(): Promise<BenchCluster> {
  const external = process.env.DATABASE_URL;
  if (external) {
    return {
      adminUrl: external,
      embedded: false,
      processIds: async () => [],
      stop: async () => undefined,
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-pg-'));
  const handle = await startEmbeddedPostgres({ dataDir, database: 'taskdeck_bench_admin' });
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  return {
    adminUrl: handle.url,
    embedded: true,
    processIds: async () => {
      const postmaster = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      return [postmaster, ...(await childrenOf(postmaster))];
    },
    stop: async () => {
      await handle.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Direct children of `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** SIGSTOP (pause) or SIGCONT (resume) every process of the cluster. */
export async function signalCluster(
  cluster: BenchCluster,
  signal: 'SIGSTOP' | 'SIGCONT',
): Promise<number> {
  const pids = await cluster.processIds();
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
  return pids.length;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database; returns its URL. */
export async function createBenchDatabase(cluster: BenchCluster, name: string): Promise<string> {
  await withClient(cluster.adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = withDatabase(cluster.adminUrl, name);
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
  // For trying a schema change before it becomes a migration; the report states it.
  const setup = process.env.BENCH_SETUP_SQL;
  if (setup) await withClient(url, (client) => client.query(setup));
  return url;
}

export async function dropBenchDatabase(cluster: BenchCluster, name: string): Promise<void> {
  await withClient(cluster.adminUrl, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

export interface PostgresFacts {
  version: string;
  settings: Record<string, string>;
}

export async function postgresFacts(url: string): Promise<PostgresFacts> {
  return withClient(url, async (client) => {
    const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
    const names = [
      'shared_buffers',
      'work_mem',
      'synchronous_commit',
      'max_parallel_workers_per_gather',
      'wal_level',
      'checkpoint_timeout',
      'max_wal_size',
    ];
    const rows = (
      await client.query<{ name: string; setting: string; unit: string | null }>(
        'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
        [names],
      )
    ).rows;
    const settings: Record<string, string> = {};
    for (const row of rows) {
      settings[row.name] = row.unit ? `${row.setting} ${row.unit}` : row.setting;
    }
    return { version, settings };
  });
}
