// socket.io-client helpers for the live-stream tests: a client that collects `logs` per task.
import type { LogEntry, SubscribeAck, SubscribeRequest, TaskEvent } from '@taskdeck/contracts';
import { io, type Socket } from 'socket.io-client';

export interface LogCollector {
  socket: Socket;
  /** Every entry received, per task, in arrival order. */
  entries: Map<string, LogEntry[]>;
  tasks: TaskEvent[];
  subscribe(request: SubscribeRequest): Promise<SubscribeAck>;
  seqs(taskId: string): number[];
  close(): void;
}

export function connect(
  url: string,
  token: string | undefined,
  query?: Record<string, string>,
): Socket {
  return io(`${url}/tasks`, {
    auth: token === undefined ? {} : { token },
    query,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves on `connect`, rejects with the `connect_error`. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export async function collector(
  url: string,
  token: string,
  query?: Record<string, string>,
): Promise<LogCollector> {
  const socket = connect(url, token, query);
  const entries = new Map<string, LogEntry[]>();
  const tasks: TaskEvent[] = [];
  socket.on('logs', (event: { taskId: string; entries: LogEntry[] }) => {
    let list = entries.get(event.taskId);
    if (!list) entries.set(event.taskId, (list = []));
    list.push(...event.entries);
  });
  socket.on('task', (event: TaskEvent) => tasks.push(event));
  await connected(socket);
  return {
    socket,
    entries,
    tasks,
    subscribe: (request) =>
      socket.timeout(30_000).emitWithAck('subscribe', request) as Promise<SubscribeAck>,
    seqs: (taskId) => (entries.get(taskId) ?? []).map((e) => e.seq),
    close: () => socket.close(),
  };
}

/** Resolves with the reason of the socket's next disconnect; rejects when none comes in time. */
export function disconnection(socket: Socket, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no disconnect within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
