// The /tasks namespace typed with the contract's event maps (libs/contracts socket.ts): what the
// server may emit to a client, what a client may send, and what a socket carries.
import type { ClientToServerEvents, ServerToClientEvents, Task } from '@taskdeck/contracts';
import type { Namespace, Socket } from 'socket.io';
import type { AuthenticatedSocketData } from '../auth/socket-auth.middleware';
import type { CommittedLogs } from '../task-log/ingest/task-log-writer.service';

/** A committed batch on its way to the other instances, numbered by its sender. */
export interface ClusterLogs {
  sender: string;
  n: number;
  committed: CommittedLogs;
}

/** Between the instances, through the Socket.IO adapter (serverSideEmit). */
export interface LiveInterServerEvents {
  'taskdeck:logs': (message: ClusterLogs) => void;
  'taskdeck:task': (task: Task) => void;
  'taskdeck:task-deleted': (taskId: string) => void;
  /** An instance starting up says so at once, so the others broadcast before their next peer check. */
  'taskdeck:hello': (sender: string) => void;
}

export type LiveSocketData = AuthenticatedSocketData;

export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  LiveInterServerEvents,
  LiveSocketData
>;

export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  LiveInterServerEvents,
  LiveSocketData
>;
