import {
  IDLE,
  canRetry,
  describeConnection,
  nextConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state';

function run(events: ConnectionEvent[], from: ConnectionState = IDLE): ConnectionState {
  return events.reduce<ConnectionState>((state, event) => nextConnectionState(state, event), from);
}

describe('connection state', () => {
  it('goes Live, then Reconnecting with the attempt number, then Live again', () => {
    const live = run([{ type: 'connecting' }, { type: 'connected' }]);
    expect(describeConnection(live)).toBe('Live');
    expect(canRetry(live)).toBe(false);

    const dropped = nextConnectionState(live, { type: 'disconnected', reason: 'transport close' });
    expect(describeConnection(dropped)).toBe('Reconnecting…');
    const third = run(
      [1, 2, 3].map((attempt) => ({ type: 'reconnect-attempt', attempt })),
      dropped,
    );
    expect(describeConnection(third)).toBe('Reconnecting… (attempt 3)');
    expect(canRetry(third)).toBe(true);
    expect(describeConnection(nextConnectionState(third, { type: 'connected' }))).toBe('Live');
  });

  it('is Offline after giving up, stays so on late close events, and Retry starts over', () => {
    const offline = run([
      { type: 'connected' },
      { type: 'disconnected', reason: 'x' },
      { type: 'gave-up' },
    ]);
    expect(describeConnection(offline)).toBe('Offline');
    expect(canRetry(offline)).toBe(true);
    expect(nextConnectionState(offline, { type: 'disconnected', reason: 'x' })).toBe(offline);
    expect(describeConnection(nextConnectionState(offline, { type: 'connecting' }))).toBe(
      'Connecting…',
    );
  });

  it('is Offline with the reason when the server refuses the token, idle once closed', () => {
    const refused = run([{ type: 'connecting' }, { type: 'refused', reason: 'Unauthorized' }]);
    expect(refused).toEqual({ kind: 'offline', reason: 'Unauthorized' });
    const closed = nextConnectionState(refused, { type: 'closed' });
    expect(describeConnection(closed)).toBe('Not connected');
    // A closed client ignores the manager's leftovers.
    expect(nextConnectionState(closed, { type: 'reconnect-attempt', attempt: 2 })).toBe(closed);
  });
});
