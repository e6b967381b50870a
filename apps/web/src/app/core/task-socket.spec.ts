import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { LogEntry, SubscribeAck, SubscribeRequest, Task } from '@taskdeck/contracts';
import { storeSignedInSession } from './auth.testing';
import { SOCKET_FACTORY, TaskSocket, type TasksSocket } from './task-socket';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io-client Socket: records what is sent, lets the test play the server. */
class FakeSocket {
  connected = false;
  readonly handlers = new Map<string, Handler[]>();
  readonly managerHandlers = new Map<string, Handler[]>();
  readonly sent: { event: string; payload: unknown; ack?: Handler }[] = [];
  readonly io = {
    on: (event: string, handler: Handler) => this.add(this.managerHandlers, event, handler),
  };

  on(event: string, handler: Handler): this {
    this.add(this.handlers, event, handler);
    return this;
  }
  timeout(): this {
    return this;
  }
  emit(event: string, payload: unknown, ack?: Handler): this {
    this.sent.push({ event, payload, ack });
    return this;
  }
  connect(): this {
    return this;
  }
  disconnect(): this {
    this.connected = false;
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  fireManager(event: string, ...args: unknown[]): void {
    for (const handler of this.managerHandlers.get(event) ?? []) handler(...args);
  }
  serverConnects(): void {
    this.connected = true;
    this.fire('connect');
  }
  subscribes(): { request: SubscribeRequest; ack: (ack: SubscribeAck) => void }[] {
    return this.sent
      .filter((s) => s.event === 'subscribe')
      .map((s) => ({
        request: s.payload as SubscribeRequest,
        ack: (a: SubscribeAck) => s.ack?.(null, a),
      }));
  }
  private add(map: Map<string, Handler[]>, event: string, handler: Handler): void {
    map.set(event, [...(map.get(event) ?? []), handler]);
  }
}

const task = { id: 't1', status: 'RUNNING' } as Task;
const entry = (seq: number): LogEntry => ({
  taskId: 't1',
  seq,
  timestamp: '2026-11-25T06:00:00.000Z',
  level: 'INFO',
  source: 'git',
  message: `m${seq}`,
  metadata: null,
});

describe('TaskSocket', () => {
  let fake: FakeSocket;
  let socket: TaskSocket;

  beforeEach(() => {
    storeSignedInSession();
    fake = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideRouter([]),
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as TasksSocket },
      ],
    });
    socket = TestBed.inject(TaskSocket);
  });

  afterEach(() => localStorage.clear());

  it('resubscribes on every reconnect from the last seq held, and passes logs on only after the ack', () => {
    const received: number[] = [];
    let held = 0;
    socket.subscribe('t1', {
      sources: ['git'],
      level: 'WARNING',
      afterSeq: () => held,
      onLogs: (entries) => {
        for (const e of entries) received.push(e.seq);
        held = entries.at(-1)!.seq;
      },
    });
    expect(socket.state().kind).toBe('connecting');
    fake.serverConnects();
    expect(socket.state().kind).toBe('live');
    const [first] = fake.subscribes();
    expect(first.request).toEqual({
      taskId: 't1',
      afterSeq: 0,
      level: 'WARNING',
      sources: ['git'],
    });

    fake.fire('logs', { taskId: 't1', entries: [entry(1)] }); // before the ack: not passed on
    first.ack({ ok: true, task });
    fake.fire('logs', { taskId: 't1', entries: [entry(1), entry(2)] });
    fake.fire('logs', { taskId: 'other', entries: [entry(3)] });

    fake.connected = false;
    fake.fire('disconnect', 'transport close');
    expect(socket.state()).toEqual({ kind: 'reconnecting', attempt: 0 });
    fake.fireManager('reconnect_attempt', 2);
    expect(socket.state()).toEqual({ kind: 'reconnecting', attempt: 2 });
    fake.fire('logs', { taskId: 't1', entries: [entry(3)] }); // stale connection: ignored

    fake.serverConnects();
    const second = fake.subscribes()[1];
    expect(second.request.afterSeq).toBe(2);
    second.ack({ ok: true, task });
    fake.fire('logs', { taskId: 't1', entries: [entry(3)] });
    expect(received).toEqual([1, 2, 3]);
  });

  it('reports a refused subscription and stops passing logs for it', () => {
    const acks: SubscribeAck[] = [];
    const received: LogEntry[] = [];
    socket.subscribe('t1', {
      afterSeq: () => 0,
      onLogs: (e) => received.push(...e),
      onAck: (a) => acks.push(a),
    });
    fake.serverConnects();
    fake.subscribes()[0].ack({ ok: false, error: 'task not found' });
    fake.fire('logs', { taskId: 't1', entries: [entry(1)] });
    expect(acks).toEqual([{ ok: false, error: 'task not found' }]);
    expect(received).toEqual([]);
  });

  it('goes Offline after giving up and tries again on Retry', () => {
    socket.connect();
    fake.serverConnects();
    fake.connected = false;
    fake.fire('disconnect', 'transport close');
    fake.fireManager('reconnect_failed');
    expect(socket.state().kind).toBe('offline');
    socket.retry();
    expect(socket.state().kind).toBe('connecting');
  });

  it('signs out when the server refuses the session, and tells the login page why', () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    socket.connect();
    fake.fire('connect_error', new Error('xhr poll error')); // transport trouble: retried
    expect(navigate).not.toHaveBeenCalled();
    fake.fire('connect_error', new Error('Unauthorized'));
    expect(socket.state()).toEqual({ kind: 'offline', reason: 'The server refused the session.' });
    expect(navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: expect.objectContaining({ reason: 'ended' }) as unknown,
    });
  });

  it('unsubscribes on the server and drops later logs', () => {
    const received: LogEntry[] = [];
    socket.subscribe('t1', { afterSeq: () => 0, onLogs: (e) => received.push(...e) });
    fake.serverConnects();
    fake.subscribes()[0].ack({ ok: true, task });
    socket.unsubscribe('t1');
    fake.fire('logs', { taskId: 't1', entries: [entry(1)] });
    expect(fake.sent.at(-1)).toMatchObject({ event: 'unsubscribe', payload: { taskId: 't1' } });
    expect(received).toEqual([]);
  });
});
