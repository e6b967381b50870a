// The built server (dist) as a child process, the way `npm run start:prod` runs it: Nest DI needs
// the decorator metadata that only tsc emits. Reads its CPU time and RSS from /proc.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginResponse, Task } from '@taskdeck/contracts';
import { taskLogConfig } from '../../src/config/task-log.config';
import { findFreePort } from '../../src/database/embedded-postgres';
import { ApiClient } from '../../test/utils/api-client';
import { spawnBuiltServer, type BuiltServer } from '../../test/utils/built-server';

/** Server settings the bench runs with (also written into the report). */
export interface ServerSettings {
  batchSize: number;
  flushMs: number;
  bufferCapacity: number;
  bufferMaxBytes: number;
  searchIndexMergeMs: number;
  taskConcurrency: number;
  /** Socket.IO adapter the server picks: Redis with REDIS_URL, else PostgreSQL. */
  socketAdapter: 'redis' | 'postgres';
}

export function serverSettings(): ServerSettings {
  const int = (name: string, fallback: number): number => {
    const raw = process.env[name];
    return raw === undefined || raw === '' ? fallback : Number(raw);
  };
  // The server's own task-log configuration: its defaults, unless the caller's environment sets them.
  const log = taskLogConfig();
  return {
    batchSize: log.batchSize,
    flushMs: log.flushIntervalMs,
    bufferCapacity: log.bufferCapacity,
    bufferMaxBytes: log.bufferMaxBytes,
    searchIndexMergeMs: log.searchIndexMergeMs,
    // Not the server's default (4): the live figures run a dozen tasks at once.
    taskConcurrency: int('TASK_CONCURRENCY', 32),
    socketAdapter: process.env.REDIS_URL ? 'redis' : 'postgres',
  };
}

export interface BenchServer {
  url: string;
  instanceId: string;
  /** Shared by the instances of one cluster (a token of one is valid on the others). */
  jwtSecret: string;
  pid: number;
  child: ChildProcess;
  api: ApiClient;
  token: string;
  /** Date.now() when the process was spawned. */
  spawnedAt: number;
  /** Its DATA_DIR (the task log spill is in `log-spill/`). */
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

const CLK_TCK = 100;
/**
 * A server's first seconds are not its steady state: besides JIT warm-up, the ClusterBus sends
 * every log batch through the Socket.IO adapter until it is sure it has no peer instance
 * (PEER_STARTUP_GRACE_MS in cluster/cluster-bus.service.ts, 10 s). Throughput figures start after this.
 */
export const SERVER_STARTUP_MS = 11_000;
/** One admin password per bench run: the second server start finds the admin the first one created. */
const ADMIN_PASSWORD = randomBytes(12).toString('hex');

export interface ServerOptions {
  /** Default: `<peer>-peer` with a peer, else `bench`. */
  instanceId?: string;
  /** More environment, e.g. TASKDECK_ROLE or TASK_CONCURRENCY (over the settings). */
  env?: Record<string, string>;
}

/** A built server process without a session: a worker instance, which serves /api/health only. */
export interface BenchProcess {
  url: string;
  instanceId: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built server on `databaseUrl`. With `peer`, another instance of the same cluster:
 * same database and JWT secret, its own instance id (e.g. one that serves sockets of tasks running
 * on `peer`).
 */
export async function startServer(
  databaseUrl: string,
  settings: ServerSettings,
  peer?: BenchServer,
  options: ServerOptions = {},
): Promise<BenchServer> {
  const jwtSecret = peer?.jwtSecret ?? randomBytes(32).toString('hex');
  const instanceId = options.instanceId ?? (peer ? `${peer.instanceId}-peer` : 'bench');
  const server = await spawnServer(databaseUrl, settings, jwtSecret, instanceId, options.env);
  const { url, child } = server.built;
  const password = ADMIN_PASSWORD;
  const login = await new ApiClient(url).post<LoginResponse>('/api/auth/login', {
    username: 'admin',
    password,
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const token = login.body.accessToken;
  const api = new ApiClient(url, token);
  // Every entry stored and streamed: the figures count all of them.
  const patched = await api.patch('/api/settings/logging', {
    taskLogLevel: 'DEBUG',
    enableBeliefState: false,
  });
  if (patched.status !== 200) throw new Error(`PATCH /api/settings/logging → ${patched.status}`);
  return {
    url,
    instanceId,
    jwtSecret,
    pid: child.pid ?? -1,
    child,
    api,
    token,
    spawnedAt: server.spawnedAt,
    dataDir: server.dataDir,
    output: server.built.output,
    stop: server.stop,
  };
}

/** A worker instance (TASKDECK_ROLE=worker) of `cluster`'s cluster. */
export async function startWorker(
  databaseUrl: string,
  settings: ServerSettings,
  cluster: BenchServer,
  instanceId: string,
  env: Record<string, string> = {},
): Promise<BenchProcess> {
  const server = await spawnServer(databaseUrl, settings, cluster.jwtSecret, instanceId, {
    ...env,
    TASKDECK_ROLE: 'worker',
  });
  return {
    url: server.built.url,
    instanceId,
    pid: server.built.child.pid ?? -1,
    output: server.built.output,
    stop: server.stop,
  };
}

async function spawnServer(
  databaseUrl: string,
  settings: ServerSettings,
  jwtSecret: string,
  instanceId: string,
  extraEnv: Record<string, string> = {},
): Promise<{ built: BuiltServer; spawnedAt: number; dataDir: string; stop(): Promise<void> }> {
  const port = await findFreePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD,
    JWT_SECRET: jwtSecret,
    INSTANCE_ID: instanceId,
    WEB_ROOT: join(dataDir, 'no-console'),
    TASK_LOG_BATCH_SIZE: String(settings.batchSize),
    TASK_LOG_FLUSH_MS: String(settings.flushMs),
    TASK_LOG_BUFFER_CAPACITY: String(settings.bufferCapacity),
    TASK_LOG_BUFFER_MAX_BYTES: String(settings.bufferMaxBytes),
    TASK_LOG_SEARCH_INDEX_MERGE_MS: String(settings.searchIndexMergeMs),
    TASK_CONCURRENCY: String(settings.taskConcurrency),
    ...extraEnv,
  };
  delete env.NODE_OPTIONS; // npm's --experimental-vm-modules is for jest, not the server
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const spawnedAt = Date.now();
  const built = await spawnBuiltServer({ port, env, nodeArgs, startTimeoutMs: 90_000 });
  return {
    built,
    spawnedAt,
    dataDir,
    stop: async () => {
      const timer = setTimeout(() => built.child.kill('SIGKILL'), 30_000);
      await built.kill('SIGTERM');
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** User + system CPU time of a process, in milliseconds (from /proc/<pid>/stat). */
export async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(0) ppid(1) … utime(11) stime(12), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/**
 * CPU time of a process in milliseconds with nanosecond resolution: the sum of its threads'
 * schedstat run times (/proc/<pid>/task/<tid>/schedstat), so that a few percent of a core over a
 * few seconds is not lost in /proc/<pid>/stat's 10 ms ticks. Falls back to cpuTimeMs.
 */
export async function cpuTimePreciseMs(pid: number): Promise<number> {
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    let ns = 0;
    for (const tid of tids) {
      try {
        ns += Number((await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')).split(' ')[0]);
      } catch {
        // The thread ended while we looked.
      }
    }
    return ns > 0 ? ns / 1e6 : cpuTimeMs(pid);
  } catch {
    return cpuTimeMs(pid);
  }
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

export async function startTask(api: ApiClient, params: Record<string, unknown>): Promise<Task> {
  const res = await api.post<Task>('/api/tasks', { pluginId: 'debug', params });
  if (res.status !== 201) {
    throw new Error(`POST /api/tasks → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export async function waitFinished(
  api: ApiClient,
  taskId: string,
  timeoutMs = 600_000,
  pollMs = 50,
): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get<Task>(`/api/tasks/${taskId}`);
    if (res.status === 200 && res.body.finishedAt !== null) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`task ${taskId} did not finish within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function cancelTask(api: ApiClient, taskId: string): Promise<void> {
  await api.post(`/api/tasks/${taskId}/cancel`);
}

export async function logTotal(api: ApiClient, taskId: string): Promise<number> {
  const res = await api.get<{ total: number }>(`/api/tasks/${taskId}/logs/stats`);
  if (res.status !== 200) throw new Error(`GET stats → ${res.status}`);
  return res.body.total;
}
