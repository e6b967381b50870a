// The live stream of one instance (docs/api.md "Live stream"): committed log batches, from this
// instance's writer or relayed by the ClusterBus from another instance, handed on in order and
// without holes by the TaskLogFeed to the subscriptions here; task events to every socket.
// Persist, then publish: only committed batches go out, and a batch crosses to each other
// instance once.
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { SubscribeAck, Task, UnsubscribeAck } from '@taskdeck/contracts';
import type { Subscription } from 'rxjs';
import { ClusterBus } from '../cluster/cluster-bus.service';
import { TaskEventsService } from '../task-manager/task-events.service';
import { TaskManager } from '../task-manager/task-manager.service';
import { TaskLogWriter, type CommittedLogs } from '../task-log/ingest/task-log-writer.service';
import { TaskLogReader } from '../task-log/query/task-log-reader.service';
import { subscriptionFromQuery } from './log-subscription-filter';
import { LiveSubscriptions, type LiveClient } from './live-subscriptions';
import type { LiveNamespace, LiveSocket } from './live-socket';
import { SlowClientGuard } from './slow-client-guard';
import { TaskLogFeed } from './task-log-feed';

/** ClusterBus message types of the live stream. */
export const LIVE_LOGS = 'live.logs';
export const LIVE_TASK = 'live.task';
export const LIVE_TASK_DELETED = 'live.task-deleted';

@Injectable()
export class LiveStream implements OnModuleDestroy {
  private readonly logger = new Logger(LiveStream.name);
  private readonly slowClients = new SlowClientGuard();
  private readonly subscriptions: LiveSubscriptions;
  private readonly feed: TaskLogFeed;
  private readonly streams: Subscription[] = [];
  private namespace: LiveNamespace | null = null;

  constructor(
    private readonly writer: TaskLogWriter,
    reader: TaskLogReader,
    tasks: TaskManager,
    private readonly events: TaskEventsService,
    private readonly cluster: ClusterBus,
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
      {
        delivered: (taskId) => this.feed.delivered(taskId),
        track: (taskId) => this.feed.track(taskId),
      },
    );
    this.feed = new TaskLogFeed(
      {
        entries: (taskId, afterSeq, beforeSeq) =>
          reader.streamEntries(taskId, { afterSeq, ...(beforeSeq === null ? {} : { beforeSeq }) }),
        lastSeq: (taskId) => reader.lastSeq(taskId),
      },
      {
        deliver: (taskId, entries) => this.subscriptions.deliver(taskId, entries),
        watches: (taskId) => this.subscriptions.watches(taskId),
        failed: (taskId, error) => {
          this.logger.warn(
            `entries of task ${taskId} lost on the way could not be read (${(error as Error).message}); its watchers resume from their cursors`,
          );
          this.subscriptions.closeWatchers(taskId);
        },
      },
    );
  }

  /** Holes read from the database, and the entries they held (for diagnostics and tests). */
  get totals(): Readonly<TaskLogFeed['totals']> {
    return this.feed.totals;
  }

  /** Starts serving on the namespace (the gateway calls it once the server exists). */
  start(server: LiveNamespace): void {
    this.namespace = server;
    this.streams.push(
      this.writer.committed$.subscribe((committed) => {
        try {
          this.fanOut(committed);
          void this.cluster.publish(LIVE_LOGS, committed, { onlyToPeers: true });
        } catch (error) {
          this.logger.error(`publishing a committed batch failed: ${(error as Error).message}`);
        }
      }),
      this.relayed<CommittedLogs>(LIVE_LOGS, (committed) => this.fanOut(committed)),
      this.cluster.gaps$.subscribe(() => this.feed.catchUp()),
      this.events.changes$.subscribe((task) => {
        this.emitTask(task);
        void this.cluster.publish(LIVE_TASK, task);
      }),
      this.relayed<Task>(LIVE_TASK, (task) => this.emitTask(task)),
      this.events.deleted$.subscribe((taskId) => {
        this.endTask(taskId);
        void this.cluster.publish(LIVE_TASK_DELETED, taskId);
      }),
      this.relayed<string>(LIVE_TASK_DELETED, (taskId) => this.endTask(taskId)),
    );
  }

  onModuleDestroy(): void {
    for (const stream of this.streams) stream.unsubscribe();
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
    for (const { taskId, entries } of committed.batches) this.feed.push(taskId, entries);
  }

  private endTask(taskId: string): void {
    this.subscriptions.endTask(taskId);
    this.feed.forget(taskId);
  }

  private emitTask(task: Task): void {
    this.server().local.emit('task', { task });
  }

  /** Handles a message type from the other instances; what one of them gets wrong stays here. */
  private relayed<T>(type: string, handle: (data: T) => void): Subscription {
    return this.cluster.on<T>(type).subscribe(({ data, from }) => {
      try {
        handle(data);
      } catch (error) {
        this.logger.error(`a ${type} message from ${from} failed: ${(error as Error).message}`);
      }
    });
  }

  private server(): LiveNamespace {
    if (!this.namespace) throw new Error('the live stream has not started');
    return this.namespace;
  }
}
