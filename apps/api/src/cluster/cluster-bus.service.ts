// The one channel between the server instances: cancel a task running elsewhere, settings changed,
// committed log batches and task events for the live stream. It rides the Socket.IO adapter that
// already joins the instances (Redis when REDIS_URL is set, otherwise PostgreSQL on the app's own
// database), as server-side events on the root namespace, which no client uses. Each process
// numbers what it sends, and an OrderedInbox hands each sender's messages on in that order.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Subject, filter, map, type Observable } from 'rxjs';
import type { Namespace } from 'socket.io';
import { RateLimitedWarning } from '../common/rate-limited-warning';
import { tasksConfig } from '../config';
import { OrderedInbox } from './ordered-inbox';

export interface ClusterMessage<T = unknown> {
  type: string;
  /** Instance id of the sender. */
  from: string;
  data: T;
}

export interface PublishOptions {
  /**
   * Not sent while this instance believes it is alone (see PEER_STARTUP_GRACE_MS): for bulky
   * messages that only matter to instances running now, such as log batches.
   */
  onlyToPeers?: boolean;
}

/** A message on the wire, numbered by the process that sent it. */
export interface ClusterEnvelope {
  sender: string;
  n: number;
  message: ClusterMessage;
}

const CLUSTER_EVENT = 'taskdeck:cluster';
/** An instance starting up says so at once, so the others send it everything from then on. */
const HELLO = 'cluster.hello';

interface ClusterServerEvents {
  [CLUSTER_EVENT]: (envelope: ClusterEnvelope) => void;
}

/** The namespace the bus rides: server-side events only. */
export type ClusterNamespace = Namespace<
  Record<string, never>,
  Record<string, never>,
  ClusterServerEvents
>;

/**
 * Whether there are other instances: alone (the default single instance), the PostgreSQL adapter
 * would write every log batch a second time, into its attachments table, and read it back. The
 * adapter is asked how many instances there are every PEER_CHECK_MS. Its count lags: the cluster
 * adapters learn of the others from heartbeats (every 5 s, dropped after 10 s without one; a reply
 * to a starting instance's first heartbeat can arrive before it listens), so after its start an
 * instance counts as having peers for PEER_STARTUP_GRACE_MS whatever the count, and once it has
 * seen another instance (counted, or heard from) it keeps that belief until it has seen none for
 * PEER_MEMORY_MS (a database pause makes the adapter drop the others for a while). An instance
 * that joins says hello as soon as its Socket.IO server exists, before it serves any client.
 */
const PEER_CHECK_MS = 250;
const PEER_STARTUP_GRACE_MS = 10_000;
const PEER_MEMORY_MS = 10 * 60_000;

@Injectable()
export class ClusterBus implements OnModuleDestroy {
  private readonly logger = new Logger(ClusterBus.name);
  private readonly messages = new Subject<ClusterMessage>();
  private readonly gaps = new Subject<void>();
  private readonly lostMessages = new RateLimitedWarning(this.logger, 10_000);
  private readonly inbox = new OrderedInbox<ClusterMessage>(
    (message) => this.messages.next(message),
    (sender) => {
      this.lostMessages.warn(`messages from another instance (${sender}) were lost on the way`);
      this.gaps.next();
    },
  );
  /**
   * Emits when messages from another instance were lost (they did not come in time, and those
   * that come later are dropped): state built from messages should be read again from its source.
   */
  readonly gaps$: Observable<void> = this.gaps.asObservable();
  /** This process: numbering starts again with every start. */
  private readonly sender = randomUUID();
  private sent = 0;
  private namespace: ClusterNamespace | null = null;
  private peers = true;
  /** When another instance was last counted or heard from (or the start). */
  private peersSeenAt = Date.now() - PEER_MEMORY_MS + PEER_STARTUP_GRACE_MS;
  private peerTimer: NodeJS.Timeout | null = null;

  constructor(@Inject(tasksConfig.KEY) private readonly tasks: ConfigType<typeof tasksConfig>) {}

  get instanceId(): string {
    return this.tasks.instanceId;
  }

  /** Connects the bus to the Socket.IO server's root namespace (ClusterIoAdapter calls it). */
  attach(namespace: ClusterNamespace): void {
    this.namespace = namespace;
    namespace.on(CLUSTER_EVENT, (envelope) => {
      this.peerSeen();
      if (!isEnvelope(envelope)) return this.logger.warn('ignored a malformed cluster message');
      this.inbox.receive(envelope.sender, envelope.n, envelope.message);
    });
    void this.publish(HELLO, null);
    this.checkPeers();
    this.peerTimer = setInterval(() => this.checkPeers(), PEER_CHECK_MS);
    this.peerTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.peerTimer) clearInterval(this.peerTimer);
    this.inbox.stop();
    this.messages.complete();
    this.gaps.complete();
  }

  /** Sends to every other instance, once each (the adapter carries it). */
  publish<T>(type: string, data: T, options: PublishOptions = {}): Promise<void> {
    const namespace = this.namespace;
    if (!namespace || (options.onlyToPeers && !this.peers)) return Promise.resolve();
    const message: ClusterMessage = { type, from: this.instanceId, data };
    try {
      namespace.serverSideEmit(CLUSTER_EVENT, { sender: this.sender, n: ++this.sent, message });
    } catch (error) {
      // The in-memory adapter (no cluster adapter configured) has no other instances to tell.
      this.logger.debug(`not sent (${type}): ${(error as Error).message}`);
    }
    return Promise.resolve();
  }

  /** Messages of one type from the other instances, each sender's in the order it sent them. */
  on<T>(type: string): Observable<ClusterMessage<T>> {
    return this.messages.pipe(
      filter((m) => m.type === type),
      map((m) => m as ClusterMessage<T>),
    );
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
      this.namespace?.adapter.serverCount().then(
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
}

function isEnvelope(value: unknown): value is ClusterEnvelope {
  const envelope = value as Partial<ClusterEnvelope> | null;
  return (
    typeof envelope?.sender === 'string' &&
    Number.isSafeInteger(envelope.n) &&
    typeof envelope.message?.type === 'string'
  );
}
