// A crash of the server (SIGKILL, the OOM killer) can leave its embedded PostgreSQL running on the
// data directory, and PostgreSQL refuses a second postmaster there. At the next start Taskdeck
// recognises its own cluster from `postmaster.pid` and stops it (fast shutdown, as a clean stop
// would) before starting it again under its own supervision.
import { readFileSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError } from './embedded-postgres-error';

const FAST_SHUTDOWN_MS = 30_000;
const IMMEDIATE_SHUTDOWN_MS = 10_000;

export interface Postmaster {
  pid: number;
  port: number;
}

/** The postmaster that `postmaster.pid` names, if it is alive and serves `clusterDir`. */
export async function runningPostmaster(clusterDir: string): Promise<Postmaster | null> {
  let lines: string[];
  try {
    lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  const [fileDir, ourDir] = await Promise.all([
    realpath(lines[1] ?? '').catch(() => lines[1]),
    realpath(clusterDir).catch(() => clusterDir),
  ]);
  if (fileDir !== ourDir || !(await isPostgres(pid))) return null; // a stale file, pid reused
  return { pid, port: Number(lines[3]) };
}

/** Stops a postmaster left running on `clusterDir`; returns it, or null when there was none. */
export async function stopLeftoverPostmaster(clusterDir: string): Promise<Postmaster | null> {
  const leftover = await runningPostmaster(clusterDir);
  if (!leftover) return null;
  for (const [signal, waitMs] of [
    ['SIGINT', FAST_SHUTDOWN_MS],
    ['SIGQUIT', IMMEDIATE_SHUTDOWN_MS],
  ] as const) {
    try {
      process.kill(leftover.pid, signal);
    } catch {
      return leftover; // gone meanwhile
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline;) {
      if (!isAlive(leftover.pid)) return leftover;
      await sleep(100);
    }
  }
  throw new EmbeddedPostgresError(
    `left running by an earlier start (pid ${leftover.pid}, port ${leftover.port}) did not stop`,
    `Stop it (kill ${leftover.pid}) and start Taskdeck again.`,
  );
}

/** Alive and not a zombie: an orphan reaped late must not count as running. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStat(pid)?.state !== 'Z';
}

function procStat(pid: number): { state: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may hold anything.
    const end = text.lastIndexOf(')');
    return { state: text.slice(end + 2, end + 3) };
  } catch {
    return null; // no /proc (macOS): trust kill(0)
  }
}

async function isPostgres(pid: number): Promise<boolean> {
  try {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return /(^|\/)postgres\0/.test(command) || command.startsWith('postgres');
  } catch {
    return true; // no /proc: the pid file's directory matched, which is what PostgreSQL checks too
  }
}
