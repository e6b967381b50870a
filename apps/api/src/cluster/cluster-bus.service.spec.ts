// Two buses joined the way the Socket.IO adapter joins instances: what one emits server-side, the
// other's namespace receives; the adapter's count of instances is set by the test.
import { EventEmitter } from 'node:events';
import type { ConfigType } from '@nestjs/config';
import type { tasksConfig } from '../config';
import { ClusterBus, type ClusterMessage, type ClusterNamespace } from './cluster-bus.service';

class FakeNamespace extends EventEmitter {
  peer: FakeNamespace | null = null;
  servers = 2;
  /** When set, what this namespace sends is handed to it instead of to the peer. */
  intercept: ((event: string, payload: unknown) => void) | null = null;
  readonly adapter = { serverCount: () => Promise.resolve(this.servers) };

  serverSideEmit(event: string, payload: unknown): boolean {
    if (this.intercept) this.intercept(event, payload);
    else this.peer?.emit(event, payload);
    return true;
  }
}

function bus(instanceId: string): ClusterBus {
  return new ClusterBus({ instanceId } as ConfigType<typeof tasksConfig>);
}

describe('ClusterBus', () => {
  let a: ClusterBus;
  let b: ClusterBus;
  let onA: FakeNamespace;
  let onB: FakeNamespace;
  let toB: ClusterMessage[];

  beforeEach(() => {
    jest.useFakeTimers();
    [a, b] = [bus('instance-a'), bus('instance-b')];
    [onA, onB] = [new FakeNamespace(), new FakeNamespace()];
    onA.peer = onB;
    onB.peer = onA;
    a.attach(onA as unknown as ClusterNamespace);
    b.attach(onB as unknown as ClusterNamespace);
    toB = [];
    b.on<string>('greeting').subscribe((m) => toB.push(m));
    // B waits a moment for earlier messages of a sender it has not heard from before.
    void a.publish('warm-up', null);
    jest.advanceTimersByTime(50);
  });

  afterEach(() => {
    a.onModuleDestroy();
    b.onModuleDestroy();
    jest.useRealTimers();
  });

  it('carries a message to the other instance, with the sender’s instance id', async () => {
    await a.publish('greeting', 'hello b');
    expect(toB).toEqual([{ type: 'greeting', from: 'instance-a', data: 'hello b' }]);
  });

  it('hands each sender’s messages on in the order it sent them', async () => {
    const held: [string, unknown][] = [];
    onA.intercept = (event, payload) => held.push([event, payload]);
    await a.publish('greeting', 'one');
    await a.publish('greeting', 'two');
    for (const [event, payload] of held.reverse()) onB.emit(event, payload);
    expect(toB.map((m) => m.data)).toEqual(['one', 'two']);
  });

  it('reports messages that did not come in time', async () => {
    const gaps: unknown[] = [];
    b.gaps$.subscribe((gap) => gaps.push(gap));
    onA.intercept = () => undefined; // lost
    await a.publish('greeting', 'lost');
    onA.intercept = null;
    await a.publish('greeting', 'after');
    expect(toB).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(toB.map((m) => m.data)).toEqual(['after']);
    expect(gaps).toHaveLength(1);
  });

  it('sends bulky messages only while another instance may listen', async () => {
    onA.servers = 1;
    // Alone, but within the start-up grace period: still sent.
    jest.advanceTimersByTime(250);
    await a.publish('greeting', 'in the grace period', { onlyToPeers: true });
    // B said hello at its start, so A has seen a peer: it keeps sending for ten minutes.
    jest.advanceTimersByTime(10 * 60_000);
    await Promise.resolve();
    await a.publish('greeting', 'after ten minutes alone', { onlyToPeers: true });
    await a.publish('greeting', 'always sent');
    expect(toB.map((m) => m.data)).toEqual(['in the grace period', 'always sent']);
  });

  it('ignores what is not one of its messages', () => {
    onB.emit('taskdeck:cluster', { nonsense: true });
    onB.emit('taskdeck:cluster', null);
    expect(toB).toEqual([]);
  });
});
