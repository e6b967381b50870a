// The live connection as the user sees it: Live, Reconnecting… (attempt n), or Offline. A pure
// reducer over socket events, so the wording and transitions are testable without a socket.
export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number }
  | { kind: 'offline'; reason: string };

export type ConnectionEvent =
  | { type: 'connecting' }
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string }
  | { type: 'reconnect-attempt'; attempt: number }
  | { type: 'gave-up' }
  | { type: 'refused'; reason: string }
  | { type: 'closed' };

export const IDLE: ConnectionState = { kind: 'idle' };

export function nextConnectionState(
  state: ConnectionState,
  event: ConnectionEvent,
): ConnectionState {
  switch (event.type) {
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'live' };
    case 'disconnected':
      // Closed by the transport or the server: the client retries on its own (until it gives up).
      return state.kind === 'offline' || state.kind === 'idle'
        ? state
        : { kind: 'reconnecting', attempt: 0 };
    case 'reconnect-attempt':
      return state.kind === 'idle' ? state : { kind: 'reconnecting', attempt: event.attempt };
    case 'gave-up':
      return { kind: 'offline', reason: 'The server did not answer.' };
    case 'refused':
      return { kind: 'offline', reason: event.reason };
    case 'closed':
      return IDLE;
  }
}

export function describeConnection(state: ConnectionState): string {
  switch (state.kind) {
    case 'idle':
      return 'Not connected';
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return state.attempt > 0 ? `Reconnecting… (attempt ${state.attempt})` : 'Reconnecting…';
    case 'offline':
      return 'Offline';
  }
}

/** Retry makes sense while waiting between attempts and after giving up. */
export function canRetry(state: ConnectionState): boolean {
  return state.kind === 'reconnecting' || state.kind === 'offline';
}
