// Spawns the built server (dist) as a child process and waits until /api/health answers. Shared by
// the tests that crash a server on purpose (server-process.ts) and by the bench (bench/lib/server.ts);
// it imports nothing of the app, so the bench process does not load the Nest modules.
import { spawn, type ChildProcess } from 'node:child_process';
import { BUILT_MAIN, REPO_ROOT } from '../setup/build';
import { waitFor } from './api-client';

/** The tail of what the server printed is kept, for failure messages. */
const OUTPUT_KEPT_CHARS = 100_000;

export interface BuiltServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the server printed (stdout and stderr), its last OUTPUT_KEPT_CHARS characters. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` unless the process has exited, then waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnBuiltServer(options: {
  port: number;
  /** The whole environment of the server process. */
  env: NodeJS.ProcessEnv;
  /** Node options before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Working directory of the server (default: the repository). */
  cwd?: string;
  startTimeoutMs?: number;
}): Promise<BuiltServer> {
  let output = '';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BUILT_MAIN], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${options.port}`;

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`server exited (${child.exitCode}):\n${output}`);
        }
        try {
          const response = await fetch(`${url}/api/health`);
          return response.status === 200 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      options.startTimeoutMs ?? 60_000,
      'the server process to answer /api/health',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    url,
    port: options.port,
    child,
    output: () => output,
    exited,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
