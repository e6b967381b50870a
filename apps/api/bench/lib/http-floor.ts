// The HTTP figures' floors, each a bare node:http server in a child process: the bare floor
// (http-floor-server.ts: the same bytes, no work) and the query floor (http-query-floor-server.ts:
// the same statement and JSON, no framework).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HttpFloorCommand, HttpFloorReply } from './http-floor-server';

export interface FloorProcess {
  url: string;
  pid: number;
  close(): Promise<void>;
}

export interface HttpFloor extends FloorProcess {
  /** Serves these bodies (by path with query) from now on. */
  serve(routes: Record<string, string>): Promise<void>;
}

interface Forked extends FloorProcess {
  child: ChildProcess;
  next(type: HttpFloorReply['type']): Promise<HttpFloorReply>;
}

async function forkFloor(script: string, env: NodeJS.ProcessEnv = process.env): Promise<Forked> {
  // Under tsx, execArgv carries its loader, so the child runs the .ts file as the bench does.
  const child: ChildProcess = fork(join(__dirname, script), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const next = (type: HttpFloorReply['type']): Promise<HttpFloorReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: HttpFloorReply): void => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply);
      };
      const onExit = (code: number | null): void => reject(new Error(`${script} exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const listening = await next('listening');
  if (listening.type !== 'listening') throw new Error('unexpected reply');
  return {
    child,
    next,
    url: `http://127.0.0.1:${listening.port}`,
    pid: child.pid!,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

export async function startHttpFloor(): Promise<HttpFloor> {
  const { child, next, url, pid, close } = await forkFloor('http-floor-server.ts');
  return {
    url,
    pid,
    close,
    async serve(routes) {
      const ready = next('ready');
      child.send({ type: 'routes', routes } satisfies HttpFloorCommand);
      await ready;
    },
  };
}

/** The query floor on `databaseUrl` (the database Taskdeck reads). */
export async function startQueryFloor(databaseUrl: string): Promise<FloorProcess> {
  const { url, pid, close } = await forkFloor('http-query-floor-server.ts', {
    ...process.env,
    QUERY_FLOOR_DATABASE_URL: databaseUrl,
  });
  return { url, pid, close };
}
