// The fan-out figure's floor: a bare Socket.IO server in a child process (socket-floor-server.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FloorCommand, FloorReply } from './socket-floor-server';

export interface SocketFloor {
  url: string;
  pid: number;
  /** Broadcasts payloads to `rooms` rooms every intervalMs until stop(). */
  start(payloads: unknown[], rooms: number, intervalMs: number): void;
  /** Stops broadcasting; resolves with the frames sent (room members summed over emits). */
  stop(): Promise<number>;
  close(): Promise<void>;
}

export async function startSocketFloor(): Promise<SocketFloor> {
  // Under tsx, execArgv carries its loader, so the child runs the .ts file as the bench does.
  const child: ChildProcess = fork(join(__dirname, 'socket-floor-server.ts'), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: FloorReply['type']): Promise<FloorReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: FloorReply): void => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply);
      };
      const onExit = (code: number | null): void =>
        reject(new Error(`the Socket.IO floor server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const command = (message: FloorCommand): void => void child.send(message);
  const listening = await next('listening');
  if (listening.type !== 'listening') throw new Error('unexpected reply');
  return {
    url: `http://127.0.0.1:${listening.port}`,
    pid: child.pid!,
    start: (payloads, rooms, intervalMs) => command({ type: 'start', payloads, rooms, intervalMs }),
    async stop() {
      const stopped = next('stopped');
      command({ type: 'stop' });
      const reply = await stopped;
      return reply.type === 'stopped' ? reply.frames : 0;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
