// The Socket.IO contract of namespace /tasks.
import type { LogLevel } from './levels';
import type { LogEntry } from './logs';
import type { Task } from './tasks';

export const TASKS_NAMESPACE = '/tasks';

export const SocketEvents = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  logs: 'logs',
  task: 'task',
} as const;

export interface SubscribeRequest {
  taskId: string;
  /** Minimum level. */
  level?: LogLevel;
  sources?: string[];
  /** Send stored entries with seq > afterSeq first; absent: live only. */
  afterSeq?: number;
}

export type SubscribeAck = { ok: true; task: Task } | { ok: false; error: string };

export interface UnsubscribeRequest {
  taskId: string;
}

export type UnsubscribeAck = { ok: true } | { ok: false; error: string };

export interface LogsEvent {
  taskId: string;
  /** Ascending seq. */
  entries: LogEntry[];
}

export interface TaskEvent {
  task: Task;
}

export interface ServerToClientEvents {
  logs: (event: LogsEvent) => void;
  task: (event: TaskEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (ack: SubscribeAck) => void) => void;
  unsubscribe: (request: UnsubscribeRequest, ack?: (ack: UnsubscribeAck) => void) => void;
}
