// The live stream (CONTRACT.md "Live stream"): namespace /tasks. Persist, then publish: only
// committed batches go out. A batch crosses to the other instances once (serverSideEmit through
// the Socket.IO adapter); every instance fans it out to its local filter-keyed rooms, computing
// each room's entries once. A subscription first replays the stored backlog after its cursor, with
// live batches queued meanwhile, then joins its room: no gap, no duplicate.
import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  TASKS_NAMESPACE,
  type LogEntry,
  type SubscribeAck,
  type Task,
  type UnsubscribeAck,
} from '@taskdeck/contracts';
import type { Namespace, Socket } from 'socket.io';
import type { Subscription as RxSubscription } from 'rxjs';
import { AuthTokenService } from '../../auth/auth-token.service';
import type { AuthUser } from '../../common/decorators/current-user.decorator';
import { TaskEventsService } from '../../task-manager/task-events.service';
import { TaskManager } from '../../task-manager/task-manager.service';
import { TaskLogWriter, type CommittedLogs } from '../ingest/task-log-writer.service';
import { TaskLogReader } from '../query/task-log-reader.service';
import {
  InvalidSubscriptionError,
  filterEntries,
  parseSubscription,
  subscriptionFromQuery,
  type LogSubscriptionFilter,
} from './log-subscription-filter';
import { OrderedInbox } from './ordered-inbox';
import { PublishedSeqs } from './published-seqs';
import { SlowClientGuard } from './slow-client-guard';
import { TaskEventThrottle } from './task-event-throttle';

const CLUSTER_LOGS = 'taskdeck:logs';
const CLUSTER_TASK = 'taskdeck:task';
const CLUSTER_DELETED = 'taskdeck:task-deleted';
/** An instance starting up says so at once, so the others broadcast before their next peer check. */
const CLUSTER_HELLO = 'taskdeck:hello';
const BACKLOG_PAGE = 1000;
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

/** A committed batch on its way to the other instances, numbered by its sender. */
interface ClusterLogs {
  sender: string;
  n: number;
  committed: CommittedLogs;
}

interface LiveSubscription {
  socket: Socket;
  filter: LogSubscriptionFilter;
  /** Live entries that arrived while the backlog was being sent; null once live. */
  pending: LogEntry[] | null;
  /** Highest seq sent on this subscription. */
  lastSent: number;
  /** The backlog is sent; the subscription goes live once the fan-out has passed lastSent. */
  backlogSent: boolean;
  cancelled: boolean;
}

interface SocketState {
  user: AuthUser;
  /** By task id: one subscription per task and socket. */
  subscriptions: Map<string, LiveSubscription>;
}

@WebSocketGateway({ namespace: TASKS_NAMESPACE, cors: { origin: true, credentials: true } })
export class TaskLogGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger(TaskLogGateway.name);
  private readonly sockets = new Map<string, { socket: Socket; state: SocketState }>();
  /** Catching-up subscriptions per task: they take live entries into their pending queue. */
  private readonly catchingUp = new Map<string, Set<LiveSubscription>>();
  /** Local room keys per task, with their filters. */
  private readonly rooms = new Map<string, Map<string, LogSubscriptionFilter>>();
  private readonly published = new PublishedSeqs();
  private readonly streams: RxSubscription[] = [];
  private readonly slowClients = new SlowClientGuard();
  private taskEvents!: TaskEventThrottle;
  /** Batches from other instances, in the order they were committed there. */
  private readonly inbox = new OrderedInbox<CommittedLogs>((committed) => this.fanOut(committed));
  private readonly senderId = randomUUID();
  private sent = 0;
  /** Whether other instances may share the adapter (see PEER_STARTUP_GRACE_MS). */
  private peers = true;
  /** When the adapter last counted other instances (or the start). */
  private peersSeenAt = Date.now() - PEER_MEMORY_MS + PEER_STARTUP_GRACE_MS;
  private peerTimer: NodeJS.Timeout | null = null;

  @WebSocketServer()
  private server!: Namespace;

  constructor(
    private readonly tokens: AuthTokenService,
    private readonly writer: TaskLogWriter,
    private readonly reader: TaskLogReader,
    private readonly tasks: TaskManager,
    private readonly events: TaskEventsService,
  ) {}

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.tokens
        .verify(typeof token === 'string' ? token : null)
        .then((user) => {
          if (!user) return next(new Error('Unauthorized'));
          (socket.data as { user?: AuthUser }).user = user;
          next();
        })
        .catch(() => next(new Error('Unauthorized')));
    });
    server.on(CLUSTER_LOGS, (message: ClusterLogs) =>
      this.inbox.receive(message.sender, message.n, message.committed),
    );
    server.on(CLUSTER_TASK, (task: Task) => this.emitTaskLocally(task));
    server.on(CLUSTER_DELETED, (taskId: string) => this.endTask(taskId));
    server.on(CLUSTER_HELLO, () => this.peerSeen());
    this.taskEvents = new TaskEventThrottle((task) => {
      this.emitTaskLocally(task);
      this.broadcast(CLUSTER_TASK, task);
    });
    this.streams.push(
      this.writer.committed$.subscribe((committed) => {
        try {
          this.fanOut(committed);
          if (this.peers) {
            this.broadcast(CLUSTER_LOGS, {
              sender: this.senderId,
              n: ++this.sent,
              committed,
            } satisfies ClusterLogs);
          }
        } catch (error) {
          this.logger.error(`publishing a committed batch failed: ${(error as Error).message}`);
        }
      }),
      this.events.changes$.subscribe((task) => this.taskEvents.push(task)),
      this.events.deleted$.subscribe((taskId) => {
        this.endTask(taskId);
        this.broadcast(CLUSTER_DELETED, taskId);
      }),
    );
    this.broadcast(CLUSTER_HELLO, this.senderId);
    this.checkPeers();
    this.peerTimer = setInterval(() => this.checkPeers(), PEER_CHECK_MS);
    this.peerTimer.unref();
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
      this.server.adapter.serverCount().then(
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

  onModuleDestroy(): void {
    if (this.peerTimer) clearInterval(this.peerTimer);
    for (const stream of this.streams) stream.unsubscribe();
    this.taskEvents?.stop();
    this.inbox.stop();
  }

  handleConnection(socket: Socket): void {
    const user = (socket.data as { user?: AuthUser }).user;
    if (!user) {
      socket.disconnect(true);
      return;
    }
    this.sockets.set(socket.id, { socket, state: { user, subscriptions: new Map() } });
    const query = socket.handshake.query as Record<string, unknown>;
    if (query.taskId !== undefined) {
      void this.subscribe(socket, subscriptionFromQuery(query)).then((ack) => {
        if (!ack.ok) this.logger.debug(`handshake subscription refused: ${ack.error}`);
      });
    }
  }

  handleDisconnect(socket: Socket): void {
    const entry = this.sockets.get(socket.id);
    this.sockets.delete(socket.id);
    this.slowClients.forget(socket.id);
    if (!entry) return;
    for (const subscription of entry.state.subscriptions.values()) this.drop(subscription);
    entry.state.subscriptions.clear();
    this.pruneRooms();
  }

  @SubscribeMessage('subscribe')
  onSubscribe(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    return this.subscribe(socket, body);
  }

  @SubscribeMessage('unsubscribe')
  onUnsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): UnsubscribeAck {
    const taskId = (body as { taskId?: unknown } | null)?.taskId;
    if (typeof taskId !== 'string') return { ok: false, error: 'unsubscribe needs {taskId}' };
    const state = this.sockets.get(socket.id)?.state;
    const subscription = state?.subscriptions.get(taskId.toLowerCase());
    if (!state || !subscription) return { ok: true };
    state.subscriptions.delete(subscription.filter.taskId);
    this.drop(subscription);
    void socket.leave(subscription.filter.key);
    this.pruneRooms();
    return { ok: true };
  }

  private async subscribe(socket: Socket, body: unknown): Promise<SubscribeAck> {
    const state = this.sockets.get(socket.id)?.state;
    if (!state) return { ok: false, error: 'not connected' };
    let filter: LogSubscriptionFilter;
    try {
      filter = parseSubscription(body);
    } catch (error) {
      if (error instanceof InvalidSubscriptionError) return { ok: false, error: error.message };
      throw error;
    }
    let task: Task;
    try {
      task = await this.tasks.get(filter.taskId);
    } catch {
      return { ok: false, error: 'task not found' };
    }
    if (!this.sockets.has(socket.id)) return { ok: false, error: 'disconnected' };

    const previous = state.subscriptions.get(filter.taskId);
    if (previous) {
      this.drop(previous);
      await socket.leave(previous.filter.key);
    }
    const subscription: LiveSubscription = {
      socket,
      filter,
      pending: filter.afterSeq === null ? null : [],
      lastSent: filter.afterSeq ?? 0,
      backlogSent: false,
      cancelled: false,
    };
    state.subscriptions.set(filter.taskId, subscription);
    if (subscription.pending === null) {
      this.joinRoom(socket, filter);
    } else {
      this.catchingUpOf(filter.taskId).add(subscription);
      // Ack first (the contract: stored entries follow a positive ack), then replay.
      setImmediate(() => void this.replay(subscription));
    }
    return { ok: true, task };
  }

  /** Stored entries after the cursor, then what arrived meanwhile, then the room. */
  private async replay(subscription: LiveSubscription): Promise<void> {
    const { socket, filter } = subscription;
    try {
      for (;;) {
        const page = await this.reader.page(filter.taskId, {
          afterSeq: subscription.lastSent,
          limit: BACKLOG_PAGE,
          ...(filter.level ? { level: filter.level } : {}),
          ...(filter.sources ? { source: filter.sources } : {}),
        });
        if (subscription.cancelled) return;
        if (page.items.length) this.send(socket, subscription, page.items);
        if (page.nextCursor === null || !page.items.length) break;
      }
      subscription.backlogSent = true;
      // The database may show batches that have not reached the fan-out yet (on another instance,
      // or on this one between the commit and committed$): the room would send them again. Then
      // the subscription stays queued and fanOut takes it live once it has passed them.
      if (this.published.get(filter.taskId) >= subscription.lastSent) this.goLive(subscription);
    } catch (error) {
      this.logger.warn(
        `backlog of task ${filter.taskId} failed: ${(error as Error).message}; closing the socket`,
      );
      socket.conn.close(); // the client reconnects and resumes from its last seq
    }
  }

  /** Queued entries above the last seq sent, then the room; synchronous, so no batch slips between. */
  private goLive(subscription: LiveSubscription): void {
    const queued = subscription.pending ?? [];
    subscription.pending = null;
    this.catchingUp.get(subscription.filter.taskId)?.delete(subscription);
    if (queued.length) this.send(subscription.socket, subscription, queued);
    this.joinRoom(subscription.socket, subscription.filter);
  }

  /** Sends entries above the subscription's last seq (ascending, each once). */
  private send(socket: Socket, subscription: LiveSubscription, entries: readonly LogEntry[]): void {
    let start = 0;
    while (start < entries.length && entries[start].seq <= subscription.lastSent) start++;
    if (start >= entries.length) return;
    const fresh = start ? entries.slice(start) : entries;
    subscription.lastSent = fresh[fresh.length - 1].seq;
    socket.emit('logs', { taskId: subscription.filter.taskId, entries: fresh });
    this.slowClients.check(socket);
  }

  private joinRoom(socket: Socket, filter: LogSubscriptionFilter): void {
    let rooms = this.rooms.get(filter.taskId);
    if (!rooms) this.rooms.set(filter.taskId, (rooms = new Map<string, LogSubscriptionFilter>()));
    rooms.set(filter.key, filter);
    void socket.join(filter.key);
  }

  /** Local delivery of one committed batch (from this instance or another). */
  private fanOut(committed: CommittedLogs): void {
    for (const { taskId, entries } of committed.batches) {
      if (!entries.length) continue;
      const lastSeq = entries[entries.length - 1].seq;
      this.published.advance(taskId, lastSeq);
      const rooms = this.rooms.get(taskId);
      const waiting = this.catchingUp.get(taskId);
      if (!rooms?.size && !waiting?.size) continue;
      const byKey = new Map<string, LogEntry[]>();
      const filtered = (filter: LogSubscriptionFilter): LogEntry[] => {
        let result = byKey.get(filter.key);
        if (!result) byKey.set(filter.key, (result = filterEntries(entries, filter)));
        return result;
      };
      for (const [key, filter] of rooms ?? []) {
        const roomEntries = filtered(filter);
        if (!roomEntries.length) continue;
        // One payload object per room: Socket.IO encodes it once for all its members.
        this.server.local.to(key).emit('logs', { taskId, entries: roomEntries });
        this.slowClients.checkRoom(this.server, key);
      }
      // After the rooms: a subscription that goes live here has this batch from its queue.
      for (const subscription of waiting ?? []) {
        for (const entry of filtered(subscription.filter)) subscription.pending?.push(entry);
        if (subscription.backlogSent && lastSeq >= subscription.lastSent) this.goLive(subscription);
      }
    }
  }

  /** To the other instances, once each (the adapter carries it). */
  private broadcast(event: string, data: unknown): void {
    try {
      this.server.serverSideEmit(event, data);
    } catch (error) {
      // The in-memory adapter (no cluster configured) has no other instances to tell.
      this.logger.debug(`not broadcast (${event}): ${(error as Error).message}`);
    }
  }

  private emitTaskLocally(task: Task): void {
    this.server.local.emit('task', { task });
  }

  /** A deleted task: its subscriptions end, its rooms go. */
  private endTask(taskId: string): void {
    for (const { socket, state } of this.sockets.values()) {
      const subscription = state.subscriptions.get(taskId);
      if (!subscription) continue;
      state.subscriptions.delete(taskId);
      this.drop(subscription);
      void socket.leave(subscription.filter.key);
    }
    this.rooms.delete(taskId);
    this.catchingUp.delete(taskId);
    this.published.forget(taskId);
  }

  private drop(subscription: LiveSubscription): void {
    subscription.cancelled = true;
    this.catchingUp.get(subscription.filter.taskId)?.delete(subscription);
  }

  private catchingUpOf(taskId: string): Set<LiveSubscription> {
    let set = this.catchingUp.get(taskId);
    if (!set) this.catchingUp.set(taskId, (set = new Set()));
    return set;
  }

  /** Forgets rooms nobody is in any more. */
  private pruneRooms(): void {
    const localRooms = this.server.adapter.rooms;
    for (const [taskId, rooms] of this.rooms) {
      for (const key of rooms.keys()) if (!localRooms.get(key)?.size) rooms.delete(key);
      if (!rooms.size) this.rooms.delete(taskId);
    }
  }
}
