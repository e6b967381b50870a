// One Socket.IO connection to /tasks for the whole console. It carries `task` events (every task's
// status and progress, sent to every client) and log subscriptions that survive reconnects: on each
// (re)connect every subscription is sent again with afterSeq = the last seq its holder has, so the
// server replays exactly what was missed — no gap, and no duplicate (the holder drops seq ≤ last).
import { DestroyRef, Injectable, InjectionToken, effect, inject, signal } from '@angular/core';
import type {
  ClientToServerEvents,
  LogEntry,
  LogLevel,
  ServerToClientEvents,
  SubscribeAck,
  SubscribeRequest,
  Task,
} from '@taskdeck/contracts';
import { TASKS_NAMESPACE } from '@taskdeck/contracts';
import { Subject } from 'rxjs';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Auth } from './auth';
import {
  IDLE,
  nextConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state';

export type TasksSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = (
  url: string,
  options: Partial<ManagerOptions & SocketOptions>,
) => TasksSocket;

/** How the socket is made; tests provide a fake. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => io,
});

export const RECONNECTION_ATTEMPTS = 10;
const ACK_TIMEOUT_MS = 10_000;
/** After the server closes a socket on purpose (e.g. a client too slow to keep up). */
const SERVER_CLOSE_RETRY_MS = 1_000;

export interface LogSubscription {
  /** Server-side filter: minimum level and sources. */
  level?: LogLevel;
  sources?: string[];
  /** The highest seq the holder has: the server resends everything after it. */
  afterSeq(): number;
  /** Entries in ascending seq, only after the server acknowledged this subscription. */
  onLogs(entries: LogEntry[]): void;
  /** The server's answer to each (re)subscription. */
  onAck?(ack: SubscribeAck): void;
}

interface Held {
  subscription: LogSubscription;
  /** Logs are passed on only once this subscription was acknowledged on the current connection. */
  acked: boolean;
}

@Injectable({ providedIn: 'root' })
export class TaskSocket {
  private readonly auth = inject(Auth);
  private readonly createSocket = inject(SOCKET_FACTORY);
  private socket: TasksSocket | null = null;
  private readonly held = new Map<string, Held>();
  private serverCloseTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly state$ = signal<ConnectionState>(IDLE);
  private readonly taskEvents = new Subject<Task>();

  readonly state = this.state$.asReadonly();
  /** Every task's status and progress changes. */
  readonly tasks = this.taskEvents.asObservable();

  constructor() {
    // Signing out closes the connection; the next page that needs it opens a new one.
    effect(() => {
      if (!this.auth.signedIn()) this.close();
    });
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Opens the connection if it is not open yet. */
  connect(): void {
    if (this.socket || !this.auth.token) return;
    const socket = this.createSocket(`${location.origin}${TASKS_NAMESPACE}`, {
      // A function, so every reconnect presents the current token.
      auth: (send) => send({ token: this.auth.token }),
      transports: ['websocket'],
      reconnectionAttempts: RECONNECTION_ATTEMPTS,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.socket = socket;
    this.apply({ type: 'connecting' });
    socket.on('connect', () => {
      this.apply({ type: 'connected' });
      for (const taskId of this.held.keys()) this.send(taskId);
    });
    socket.on('disconnect', (reason) => {
      for (const held of this.held.values()) held.acked = false;
      this.apply({ type: 'disconnected', reason });
      // The client does not reconnect by itself after a server-side close: do it once, shortly.
      if (reason === 'io server disconnect') this.reconnectSoon();
    });
    socket.on('connect_error', (error) => {
      if (error.message !== 'Unauthorized') return; // transport trouble: the manager retries
      // The session was revoked (user disabled or deleted, sessions ended) or ran out: the login
      // page says so, as it does when an HTTP request is refused (auth-interceptor.ts).
      this.apply({ type: 'refused', reason: 'The server refused the session.' });
      this.auth.logout(location.pathname + location.search, 'ended');
    });
    socket.io.on('reconnect_attempt', (attempt) =>
      this.apply({ type: 'reconnect-attempt', attempt }),
    );
    socket.io.on('reconnect_failed', () => this.apply({ type: 'gave-up' }));
    socket.on('logs', ({ taskId, entries }) => {
      const held = this.held.get(taskId);
      if (held?.acked && entries.length) held.subscription.onLogs(entries);
    });
    socket.on('task', ({ task }) => this.taskEvents.next(task));
  }

  /** Tries again now: after giving up, or instead of waiting for the next attempt. */
  retry(): void {
    const socket = this.socket;
    if (!socket) return this.connect();
    this.apply({ type: 'connecting' });
    // disconnect() stops the manager's back-off; connect() starts a fresh round of attempts.
    socket.disconnect();
    socket.connect();
  }

  /** Subscribes to a task's log, or replaces its filter; resumes after `afterSeq()`. */
  subscribe(taskId: string, subscription: LogSubscription): void {
    this.connect();
    this.held.set(taskId, { subscription, acked: false });
    this.send(taskId);
  }

  unsubscribe(taskId: string): void {
    if (!this.held.delete(taskId)) return;
    if (this.socket?.connected) this.socket.emit('unsubscribe', { taskId });
  }

  private send(taskId: string): void {
    const held = this.held.get(taskId);
    const socket = this.socket;
    if (!held || !socket?.connected) return; // sent on the next connect
    const { level, sources, afterSeq } = held.subscription;
    const request: SubscribeRequest = {
      taskId,
      afterSeq: afterSeq(),
      ...(level ? { level } : {}),
      ...(sources?.length ? { sources } : {}),
    };
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('subscribe', request, (error: Error | null, ack?: SubscribeAck) => {
        if (this.held.get(taskId) !== held) return; // replaced or dropped meanwhile
        const answer: SubscribeAck =
          error || !ack ? { ok: false, error: 'The server did not answer the subscription.' } : ack;
        held.acked = answer.ok;
        held.subscription.onAck?.(answer);
      });
  }

  private reconnectSoon(): void {
    if (this.serverCloseTimer) clearTimeout(this.serverCloseTimer);
    this.serverCloseTimer = setTimeout(() => {
      this.serverCloseTimer = null;
      if (this.socket && !this.socket.connected) this.socket.connect();
    }, SERVER_CLOSE_RETRY_MS);
  }

  private close(): void {
    if (this.serverCloseTimer) clearTimeout(this.serverCloseTimer);
    this.serverCloseTimer = null;
    this.socket?.disconnect();
    this.socket = null;
    this.held.clear();
    this.apply({ type: 'closed' });
  }

  private apply(event: ConnectionEvent): void {
    this.state$.update((state) => nextConnectionState(state, event));
  }
}
