// The live stream of one instance (docs/api.md "Live stream"): committed log batches, from this
// instance's writer or relayed from another one, fanned out to the subscriptions here; task events
// to every socket. Persist, then publish: only committed batches go out.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { SubscribeAck, Task, UnsubscribeAck } from '@taskdeck/contracts';
import type { Subscription } from 'rxjs';
import { TaskEventsService } from '../task-manager/task-events.service';
import { TaskManager } from '../task-manager/task-manager.service';
import { TaskLogWriter, type CommittedLogs } from '../task-log/ingest/task-log-writer.service';
import { TaskLogReader } from '../task-log/query/task-log-reader.service';
import { subscriptionFromQuery } from './log-subscription-filter';
import { LiveSubscriptions, type LiveClient } from './live-subscriptions';
import type { ClusterLogs, LiveNamespace, LiveSocket } from './live-socket';
import { OrderedInbox } from './ordered-inbox';
import { PublishedSeqs } from './published-seqs';
import { SlowClientGuard } from './slow-client-guard';

/**
 * Log batches go to the other instances only when there may be others: alone (the default single
 * instance), the PostgreSQL adapter would write every committed batch a second time, into its
 * attachments table, and read it back. The adapter is asked how many instances there are every
 * PEER_CHECK_MS. Its count lags: the cluster adapters learn of the others from heartbeats (every
 * 5 s, dropped after 10 s without one; a reply to a starting instance's first heartbeat can arrive
 * before it listens), so after its start an instance broadcasts for PEER_STARTUP_GRACE_MS whatever
 * the count, and once it has seen another instance it keeps broadcasting until it has seen none for
 * PEER_MEMORY_MS (a database pause makes the adapter drop the others for a while). An instance that
 * joins also says hello through the adapter when its gateway starts, before it serves any client;
 * the others start broadcasting the moment it arrives, not at their next check.
 */
const PEER_CHECK_MS = 250;
const PEER_STARTUP_GRACE_MS = 10_000;
const PEER_MEMORY_MS = 10 * 60_000;

@Injectable()
export class LiveStream implements OnModuleDestroy {
  private readonly logger = new Logger(LiveStream.name);
  private readonly published = new PublishedSeqs();
  private readonly slowClients = new SlowClientGuard();
  private readonly subscriptions: LiveSubscriptions;
  private readonly streams: Subscription[] = [];
  /** Batches from other instances, in the order they were committed there. */
  private readonly inbox = new OrderedInbox<CommittedLogs>((committed) => this.fanOut(committed));
  private readonly senderId = randomUUID();
  private sent = 0;
  /** Whether other instances may share the adapter (see PEER_STARTUP_GRACE_MS). */
  private peers = true;
  /** When the adapter last counted other instances (or the start). */
  private peersSeenAt = Date.now() - PEER_MEMORY_MS + PEER_STARTUP_GRACE_MS;
  private peerTimer: NodeJS.Timeout | null = null;
  private namespace: LiveNamespace | null = null;

  constructor(
    private readonly writer: TaskLogWriter,
    reader: TaskLogReader,
    tasks: TaskManager,
    private readonly events: TaskEventsService,
  ) {
    this.subscriptions = new LiveSubscriptions(
      {
        task: (taskId) => tasks.get(taskId),
        backlog: (filter, afterSeq, limit) =>
          reader.page(filter.taskId, {
            afterSeq,
            limit,
            ...(filter.level ? { level: filter.level } : {}),
            ...(filter.sources ? { source: filter.sources } : {}),
          }),
      },
      {
        send: (room, event) => {
          const server = this.server();
          server.local.to(room).emit('logs', event);
          this.slowClients.checkRoom(server, room);
        },
        size: (room) => this.server().adapter.rooms.get(room)?.size ?? 0,
      },
      { delivered: (taskId) => this.published.get(taskId) },
    );
  }

  /** Starts serving on the namespace (the gateway calls it once the server exists). */
  start(server: LiveNamespace): void {
    this.namespace = server;
    server.on('taskdeck:logs', (message) =>
      this.inbox.receive(message.sender, message.n, message.committed),
    );
    server.on('taskdeck:task', (task) => this.emitTaskLocally(task));
    server.on('taskdeck:task-deleted', (taskId) => this.endTask(taskId));
    server.on('taskdeck:hello', () => this.peerSeen());
    this.streams.push(
      this.writer.committed$.subscribe((committed) => {
        try {
          this.fanOut(committed);
          if (this.peers) {
            const message: ClusterLogs = { sender: this.senderId, n: ++this.sent, committed };
            this.broadcast('logs', (server) => server.serverSideEmit('taskdeck:logs', message));
          }
        } catch (error) {
          this.logger.error(`publishing a committed batch failed: ${(error as Error).message}`);
        }
      }),
      this.events.changes$.subscribe((task) => {
        this.emitTaskLocally(task);
        this.broadcast('task', (server) => server.serverSideEmit('taskdeck:task', task));
      }),
      this.events.deleted$.subscribe((taskId) => {
        this.endTask(taskId);
        this.broadcast('task-deleted', (server) =>
          server.serverSideEmit('taskdeck:task-deleted', taskId),
        );
      }),
    );
    this.broadcast('hello', (server) => server.serverSideEmit('taskdeck:hello', this.senderId));
    this.checkPeers();
    this.peerTimer = setInterval(() => this.checkPeers(), PEER_CHECK_MS);
    this.peerTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.peerTimer) clearInterval(this.peerTimer);
    for (const stream of this.streams) stream.unsubscribe();
    this.inbox.stop();
  }

  /** A socket whose handshake passed; the query shortcut `?taskId=…` subscribes it at once. */
  connect(socket: LiveSocket): void {
    this.subscriptions.connect(this.client(socket));
    const query = socket.handshake.query as Record<string, unknown>;
    if (query.taskId !== undefined) {
      void this.subscriptions.subscribe(socket.id, subscriptionFromQuery(query)).then((ack) => {
        if (!ack.ok) this.logger.debug(`handshake subscription refused: ${ack.error}`);
      });
    }
  }

  disconnect(socket: LiveSocket): void {
    this.slowClients.forget(socket.id);
    this.subscriptions.disconnect(socket.id);
  }

  subscribe(socket: LiveSocket, body: unknown): Promise<SubscribeAck> {
    return this.subscriptions.subscribe(socket.id, body);
  }

  unsubscribe(socket: LiveSocket, body: unknown): UnsubscribeAck {
    return this.subscriptions.unsubscribe(socket.id, body);
  }

  private client(socket: LiveSocket): LiveClient {
    return {
      id: socket.id,
      send: (event) => {
        socket.emit('logs', event);
        this.slowClients.check(socket);
      },
      join: (room) => void socket.join(room),
      leave: (room) => void socket.leave(room),
      close: () => socket.conn.close(),
    };
  }

  /** Local delivery of one committed batch (from this instance or another). */
  private fanOut(committed: CommittedLogs): void {
    for (const { taskId, entries } of committed.batches) {
      if (!entries.length) continue;
      this.published.advance(taskId, entries[entries.length - 1].seq);
      this.subscriptions.deliver(taskId, entries);
    }
  }

  private endTask(taskId: string): void {
    this.subscriptions.endTask(taskId);
    this.published.forget(taskId);
  }

  private emitTaskLocally(task: Task): void {
    this.server().local.emit('task', { task });
  }

  /**
   * Asks the adapter how many instances there are (the cluster adapters count the others by their
   * heartbeats; Redis by its subscribers; the in-memory adapter says 1).
   */
  private checkPeers(): void {
    const seen = (others: boolean): void => {
      if (others) return this.peerSeen();
      this.peers = Date.now() - this.peersSeenAt < PEER_MEMORY_MS;
    };
    try {
      this.server()
        .adapter.serverCount()
        .then(
          (n) => seen(n > 1),
          () => seen(true),
        );
    } catch {
      seen(true);
    }
  }

  private peerSeen(): void {
    this.peersSeenAt = Date.now();
    this.peers = true;
  }

  /** To the other instances, once each (the adapter carries it). */
  private broadcast(event: string, emit: (server: LiveNamespace) => void): void {
    try {
      emit(this.server());
    } catch (error) {
      // The in-memory adapter (no cluster configured) has no other instances to tell.
      this.logger.debug(`not broadcast (${event}): ${(error as Error).message}`);
    }
  }

  private server(): LiveNamespace {
    if (!this.namespace) throw new Error('the live stream has not started');
    return this.namespace;
  }
}
