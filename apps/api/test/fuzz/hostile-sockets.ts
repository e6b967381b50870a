// Hostile Socket.IO input: the handshake (auth and the query shortcut) and the two client events
// that exist, `subscribe` and `unsubscribe`, with payloads of every wrong shape.
import fc from 'fast-check';
import {
  hostileId,
  hostileJson,
  hostileNumber,
  hostileString,
  pollutingObject,
  wellFormed,
} from './hostile-values';

export type SocketInput =
  | { kind: 'handshake'; auth: unknown; query: Record<string, string> }
  | { kind: 'event'; event: 'subscribe' | 'unsubscribe'; payload: unknown[]; withAck: boolean };

const filterPayload = (taskIds: string[]) =>
  fc.record(
    {
      taskId: taskIds.length
        ? fc.oneof(hostileId, fc.constantFrom(...taskIds), hostileJson)
        : fc.oneof(hostileId, hostileJson),
      level: fc.oneof(hostileString, hostileJson, fc.constantFrom('DEBUG', 'ERROR')),
      sources: fc.oneof(fc.array(hostileString, { maxLength: 60 }), hostileJson),
      afterSeq: fc.oneof(hostileNumber, hostileJson),
      extra: hostileJson,
    },
    { requiredKeys: [] },
  );

export function socketInput(taskIds: string[], token: string): fc.Arbitrary<SocketInput> {
  const handshake = fc
    .record({
      auth: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ token }) },
        {
          weight: 1,
          arbitrary: fc.oneof(fc.record({ token: hostileJson }), pollutingObject, fc.constant({})),
        },
      ),
      query: fc.dictionary(
        fc.constantFrom(
          'taskId',
          'source',
          'level',
          'afterSeq',
          'sources',
          '__proto__',
          'EIO',
          'transport',
        ),
        fc.oneof(hostileString, hostileId, fc.constantFrom(...(taskIds.length ? taskIds : ['x']))),
        { maxKeys: 4 },
      ),
    })
    .map(({ auth, query }): SocketInput => ({
      kind: 'handshake',
      auth,
      // A URL carries UTF-8: a lone surrogate goes as U+FFFD.
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, wellFormed(v)])),
    }));
  const event = fc
    .record({
      event: fc.constantFrom('subscribe' as const, 'unsubscribe' as const),
      payload: fc.oneof(
        { weight: 4, arbitrary: filterPayload(taskIds).map((p): unknown[] => [p]) },
        { weight: 2, arbitrary: hostileJson.map((p): unknown[] => [p]) },
        { weight: 1, arbitrary: fc.array(hostileJson, { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.constant<unknown[]>([]) },
      ),
      withAck: fc.boolean(),
    })
    .map((e): SocketInput => ({ kind: 'event', ...e }));
  return fc.oneof({ weight: 1, arbitrary: handshake }, { weight: 4, arbitrary: event });
}
