// The live subscriptions of one instance: who watches which task through which filter, the replay
// of a new subscription's backlog, and the fan-out of each delivered batch to filter-keyed rooms.
//
// Replay is what keeps a subscription gap-free. A subscription with a cursor is registered as
// catching up (batches delivered meanwhile queue on it); its stored entries after the cursor are
// sent page by page; then, synchronously so that no batch slips in between, the queued entries
// above the last seq sent, and it joins its room. An entry committed before the registration is in
// the store, one committed after it is in the queue, one in both is dropped by seq: nothing is
// missed, nothing is sent twice. Free of Socket.IO: sockets and rooms come in as interfaces.
import { Logger } from '@nestjs/common';
import type {
  LogEntry,
  LogPage,
  LogsEvent,
  SubscribeAck,
  Task,
  UnsubscribeAck,
} from '@taskdeck/contracts';
import {
  InvalidSubscriptionError,
  filterEntries,
  parseSubscription,
  type LogSubscriptionFilter,
} from './log-subscription-filter';

/** Stored entries read per backlog page. */
export const BACKLOG_PAGE = 1000;

/** One connected socket, as the subscriptions see it. */
export interface LiveClient {
  readonly id: string;
  /** To this client alone: a backlog page, or what queued while it caught up. */
  send(event: LogsEvent): void;
  join(room: string): void;
  leave(room: string): void;
  /** Drops the connection; the client reconnects and resumes from the last seq it holds. */
  close(): void;
}

/** The rooms on this instance. */
export interface LiveRooms {
  /** One payload for all the room's members (Socket.IO encodes it once). */
  send(room: string, event: LogsEvent): void;
  /** Members on this instance. */
  size(room: string): number;
}

/** What subscribing reads. */
export interface LiveSources {
  /** The task, or null when there is no such task. */
  task(taskId: string): Promise<Task | null>;
  /** One page of stored entries after `afterSeq` that pass the filter, ascending. */
  backlog(
    filter: LogSubscriptionFilter,
    afterSeq: number,
    limit: number,
  ): Promise<Pick<LogPage, 'items' | 'nextCursor'>>;
}

/** How far the feed on this instance has handed each task on (TaskLogFeed). */
export interface FeedPosition {
  /** The highest seq of the task passed to deliver(); 0 before any. */
  delivered(taskId: string): number;
  /** Resolves once the feed knows where the task stands, so that it can tell a hole after it. */
  track(taskId: string): Promise<void>;
}

interface LiveSubscription {
  client: LiveClient;
  filter: LogSubscriptionFilter;
  /** Entries delivered while the backlog was being sent; null once live. */
  pending: LogEntry[] | null;
  /** Highest seq sent on this subscription. */
  lastSent: number;
  /** The backlog is sent; the subscription goes live once the fan-out has passed lastSent. */
  backlogSent: boolean;
  cancelled: boolean;
}

interface ClientState {
  client: LiveClient;
  /** By task id: one subscription per task and client. */
  subscriptions: Map<string, LiveSubscription>;
}

export class LiveSubscriptions {
  private readonly logger = new Logger(LiveSubscriptions.name);
  private readonly clients = new Map<string, ClientState>();
  /** Catching-up subscriptions per task: they take delivered entries into their queue. */
  private readonly catchingUp = new Map<string, Set<LiveSubscription>>();
  /** Room keys with their filters, per task. */
  private readonly rooms = new Map<string, Map<string, LogSubscriptionFilter>>();

  constructor(
    private readonly sources: LiveSources,
    private readonly localRooms: LiveRooms,
    private readonly feed: FeedPosition,
  ) {}

  connect(client: LiveClient): void {
    this.clients.set(client.id, { client, subscriptions: new Map() });
  }

  disconnect(clientId: string): void {
    const state = this.clients.get(clientId);
    this.clients.delete(clientId);
    if (!state) return;
    for (const subscription of state.subscriptions.values()) {
      this.drop(subscription);
      state.client.leave(subscription.filter.key); // Socket.IO has done it already; others may not
    }
    state.subscriptions.clear();
    this.pruneRooms();
  }

  /** Whether anyone on this instance watches the task (in a room, or catching up). */
  watches(taskId: string): boolean {
    return Boolean(this.rooms.get(taskId)?.size || this.catchingUp.get(taskId)?.size);
  }

  /**
   * Validates and registers a subscription; a new one for the same task replaces the old. With a
   * cursor, the backlog follows the ack; without one, the subscription is live at once.
   */
  async subscribe(clientId: string, body: unknown): Promise<SubscribeAck> {
    const state = this.clients.get(clientId);
    if (!state) return { ok: false, error: 'not connected' };
    let filter: LogSubscriptionFilter;
    try {
      filter = parseSubscription(body);
    } catch (error) {
      if (error instanceof InvalidSubscriptionError) return { ok: false, error: error.message };
      throw error;
    }
    const task = await this.sources.task(filter.taskId).catch(() => null);
    if (!task) return { ok: false, error: 'task not found' };
    try {
      await this.feed.track(filter.taskId);
    } catch (error) {
      this.logger.warn(`task ${filter.taskId} could not be tracked: ${(error as Error).message}`);
      return { ok: false, error: 'the task log cannot be read now' };
    }
    if (!this.clients.has(clientId)) return { ok: false, error: 'disconnected' };

    const { client } = state;
    const previous = state.subscriptions.get(filter.taskId);
    if (previous) {
      this.drop(previous);
      client.leave(previous.filter.key);
    }
    const subscription: LiveSubscription = {
      client,
      filter,
      pending: filter.afterSeq === null ? null : [],
      lastSent: filter.afterSeq ?? 0,
      backlogSent: false,
      cancelled: false,
    };
    state.subscriptions.set(filter.taskId, subscription);
    if (subscription.pending === null) {
      this.joinRoom(client, filter);
    } else {
      this.catchingUpOf(filter.taskId).add(subscription);
      // The ack goes first (stored entries follow a positive ack), then the replay.
      setImmediate(() => void this.replay(subscription));
    }
    return { ok: true, task };
  }

  unsubscribe(clientId: string, body: unknown): UnsubscribeAck {
    const taskId = (body as { taskId?: unknown } | null)?.taskId;
    if (typeof taskId !== 'string') return { ok: false, error: 'unsubscribe needs {taskId}' };
    const state = this.clients.get(clientId);
    const subscription = state?.subscriptions.get(taskId.toLowerCase());
    if (!state || !subscription) return { ok: true };
    state.subscriptions.delete(subscription.filter.taskId);
    this.drop(subscription);
    state.client.leave(subscription.filter.key);
    this.pruneRooms();
    return { ok: true };
  }

  /**
   * One batch of a task's committed entries, ascending, handed on by the feed (its delivered seq
   * already includes them): each room gets its filtered entries, computed once.
   */
  deliver(taskId: string, entries: readonly LogEntry[]): void {
    if (!entries.length) return;
    const rooms = this.rooms.get(taskId);
    const waiting = this.catchingUp.get(taskId);
    if (!rooms?.size && !waiting?.size) return;
    const lastSeq = entries[entries.length - 1].seq;
    const byKey = new Map<string, LogEntry[]>();
    const filtered = (filter: LogSubscriptionFilter): LogEntry[] => {
      let result = byKey.get(filter.key);
      if (!result) byKey.set(filter.key, (result = filterEntries(entries, filter)));
      return result;
    };
    for (const [key, filter] of rooms ?? []) {
      const roomEntries = filtered(filter);
      if (roomEntries.length) this.localRooms.send(key, { taskId, entries: roomEntries });
    }
    // After the rooms: a subscription that goes live here has this batch from its queue.
    for (const subscription of waiting ?? []) {
      for (const entry of filtered(subscription.filter)) subscription.pending?.push(entry);
      if (subscription.backlogSent && lastSeq >= subscription.lastSent) this.goLive(subscription);
    }
  }

  /** The clients watching the task lose their connection and resume from their own cursors. */
  closeWatchers(taskId: string): void {
    for (const { client, subscriptions } of this.clients.values()) {
      if (subscriptions.has(taskId)) client.close();
    }
  }

  /** A deleted task: its subscriptions end and its rooms go. */
  endTask(taskId: string): void {
    for (const { client, subscriptions } of this.clients.values()) {
      const subscription = subscriptions.get(taskId);
      if (!subscription) continue;
      subscriptions.delete(taskId);
      this.drop(subscription);
      client.leave(subscription.filter.key);
    }
    this.rooms.delete(taskId);
    this.catchingUp.delete(taskId);
  }

  /** Stored entries after the cursor, then what was delivered meanwhile, then the room. */
  private async replay(subscription: LiveSubscription): Promise<void> {
    const { client, filter } = subscription;
    try {
      for (;;) {
        const page = await this.sources.backlog(filter, subscription.lastSent, BACKLOG_PAGE);
        if (subscription.cancelled) return;
        if (page.items.length) this.send(subscription, page.items);
        if (page.nextCursor === null || !page.items.length) break;
      }
      subscription.backlogSent = true;
      // The store may show batches that have not reached the fan-out yet (on another instance, or
      // here between the commit and its delivery): the room would send them again. Then the
      // subscription stays queued, and deliver() takes it live once the fan-out has passed them.
      if (this.feed.delivered(filter.taskId) >= subscription.lastSent) this.goLive(subscription);
    } catch (error) {
      this.logger.warn(
        `backlog of task ${filter.taskId} failed: ${(error as Error).message}; closing the socket`,
      );
      client.close();
    }
  }

  /** Queued entries above the last seq sent, then the room; synchronous, so no batch slips between. */
  private goLive(subscription: LiveSubscription): void {
    const queued = subscription.pending ?? [];
    subscription.pending = null;
    this.catchingUp.get(subscription.filter.taskId)?.delete(subscription);
    if (queued.length) this.send(subscription, queued);
    this.joinRoom(subscription.client, subscription.filter);
  }

  /** Sends the entries above the subscription's last seq (ascending, each once). */
  private send(subscription: LiveSubscription, entries: readonly LogEntry[]): void {
    let start = 0;
    while (start < entries.length && entries[start].seq <= subscription.lastSent) start++;
    if (start >= entries.length) return;
    const fresh = start ? entries.slice(start) : (entries as LogEntry[]);
    subscription.lastSent = fresh[fresh.length - 1].seq;
    subscription.client.send({ taskId: subscription.filter.taskId, entries: fresh });
  }

  private joinRoom(client: LiveClient, filter: LogSubscriptionFilter): void {
    let rooms = this.rooms.get(filter.taskId);
    if (!rooms) this.rooms.set(filter.taskId, (rooms = new Map<string, LogSubscriptionFilter>()));
    rooms.set(filter.key, filter);
    client.join(filter.key);
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
    for (const [taskId, rooms] of this.rooms) {
      for (const key of rooms.keys()) if (!this.localRooms.size(key)) rooms.delete(key);
      if (!rooms.size) this.rooms.delete(taskId);
    }
  }
}
