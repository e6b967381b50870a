// The HTTP figures' floor: a bare node:http server in a child process (http-floor-server.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HttpFloorCommand, HttpFloorReply } from './http-floor-server';

export interface HttpFloor {
  url: string;
  pid: number;
  /** Serves these bodies (by path with query) from now on. */
  serve(routes: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpFloor(): Promise<HttpFloor> {
  // Under tsx, execArgv carries its loader, so the child runs the .ts file as the bench does.
  const child: ChildProcess = fork(join(__dirname, 'http-floor-server.ts'), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: HttpFloorReply['type']): Promise<HttpFloorReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: HttpFloorReply): void => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply);
      };
      const onExit = (code: number | null): void =>
        reject(new Error(`the HTTP floor server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const listening = await next('listening');
  if (listening.type !== 'listening') throw new Error('unexpected reply');
  return {
    url: `http://127.0.0.1:${listening.port}`,
    pid: child.pid!,
    async serve(routes) {
      const ready = next('ready');
      child.send({ type: 'routes', routes } satisfies HttpFloorCommand);
      await ready;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
