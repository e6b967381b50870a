// Messages between the server instances that share one database, over PostgreSQL LISTEN/NOTIFY:
// cancel a task running elsewhere, settings changed. Needs nothing beyond the database.
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Client } from 'pg';
import { Subject, filter, map, type Observable } from 'rxjs';
import { databaseConfig, tasksConfig } from '../config';

export const CLUSTER_CHANNEL = 'taskdeck_cluster';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD_BYTES = 7900;
const RECONNECT_MAX_MS = 10_000;

export interface ClusterMessage<T = unknown> {
  type: string;
  /** Instance id of the sender. */
  from: string;
  data: T;
}

@Injectable()
export class ClusterBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterBus.name);
  private readonly messages = new Subject<ClusterMessage>();
  private client: Client | null = null;
  private closing = false;
  private reconnectDelay = 250;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(databaseConfig.KEY) private readonly db: ConfigType<typeof databaseConfig>,
    @Inject(tasksConfig.KEY) private readonly tasks: ConfigType<typeof tasksConfig>,
  ) {}

  get instanceId(): string {
    return this.tasks.instanceId;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    this.messages.complete();
  }

  /** Sends to every instance, this one included. */
  async publish<T>(type: string, data: T): Promise<void> {
    const payload = JSON.stringify({
      type,
      from: this.instanceId,
      data,
    } satisfies ClusterMessage<T>);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(
        `cluster message "${type}" is too large (${Buffer.byteLength(payload)} bytes)`,
      );
    }
    if (!this.client) throw new Error('cluster bus is not connected');
    await this.client.query('SELECT pg_notify($1, $2)', [CLUSTER_CHANNEL, payload]);
  }

  /** Messages of one type, from any instance (this one included: filter on `from` if needed). */
  on<T>(type: string): Observable<ClusterMessage<T>> {
    return this.messages.pipe(
      filter((m) => m.type === type),
      map((m) => m as ClusterMessage<T>),
    );
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.db.url,
      application_name: 'taskdeck-cluster',
    });
    client.on('notification', (n) => {
      if (n.channel !== CLUSTER_CHANNEL || !n.payload) return;
      try {
        this.messages.next(JSON.parse(n.payload) as ClusterMessage);
      } catch {
        this.logger.warn('ignored a malformed cluster message');
      }
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.logger.warn(`cluster connection lost: ${error.message}`);
      this.scheduleReconnect();
    });
    client.on('end', () => {
      if (this.client === client) this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
    this.client = client;
    this.reconnectDelay = 250;
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    const old = this.client;
    this.client = null;
    if (old) {
      old.removeAllListeners();
      old.on('error', () => undefined);
      void old.end().catch(() => undefined);
    }
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: Error) => {
        this.logger.warn(`cluster reconnect failed: ${error.message}`);
        this.scheduleReconnect();
      });
    }, delay);
  }
}
