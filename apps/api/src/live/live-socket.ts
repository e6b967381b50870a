// The /tasks namespace typed with the contract's event maps (libs/contracts socket.ts): what the
// server may emit to a client, what a client may send, and what a socket carries.
import type { ClientToServerEvents, ServerToClientEvents } from '@taskdeck/contracts';
import type { Namespace, Socket } from 'socket.io';
import type { AuthenticatedSocketData } from '../auth/socket-auth.middleware';

/** None on this namespace: the instances talk through the ClusterBus. */
export type LiveInterServerEvents = Record<string, never>;

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
