// Socket.IO across instances: the Redis adapter when REDIS_URL is set, otherwise the PostgreSQL
// adapter on the app's own database, so two instances on one database need nothing else. The
// ClusterBus rides the same adapter, on the root namespace.
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import { Pool } from 'pg';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import { ClusterBus } from './cluster-bus.service';

/** What `server.adapter()` takes. */
type AdapterFactory = Parameters<Server['adapter']>[0];

const CLOSE_TIMEOUT_MS = 5_000;

export interface ClusterIoAdapterOptions {
  /** Socket.IO's CORS (the polling transport's headers); none unless given. */
  cors?: ServerOptions['cors'];
}

export class ClusterIoAdapter extends IoAdapter {
  private readonly log = new Logger(ClusterIoAdapter.name);
  private adapterFactory: AdapterFactory | null = null;
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly app: INestApplicationContext,
    private readonly options: ClusterIoAdapterOptions = {},
  ) {
    super(app);
  }

  /** Connects the pub/sub clients; call before the app listens. */
  async connect(options: { redisUrl?: string; databaseUrl: string }): Promise<void> {
    if (options.redisUrl) {
      const pub = createClient({ url: options.redisUrl });
      const sub = pub.duplicate();
      for (const client of [pub, sub]) {
        client.on('error', (e: Error) => this.log.warn(`redis: ${e.message}`));
      }
      await Promise.all([pub.connect(), sub.connect()]);
      this.adapterFactory = createRedisAdapter(pub, sub, { key: 'taskdeck' });
      this.closers.push(() => Promise.all([pub.quit(), sub.quit()]));
      this.log.log('Socket.IO adapter: Redis');
      return;
    }
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: 4,
      application_name: 'taskdeck-socket.io',
    });
    pool.on('error', (e) => this.log.warn(`socket.io adapter pool: ${e.message}`));
    // The adapter's LISTEN client has no error listener of its own: without this, a database
    // restart would be an unhandled 'error' event and take the process down. The adapter
    // reconnects on the client's 'end'.
    pool.on('connect', (client) =>
      client.on('error', (e) => this.log.warn(`socket.io adapter connection: ${e.message}`)),
    );
    // The adapter checks out one client for LISTEN and, when that connection dies (a database
    // restart), drops it and checks out another without releasing the dead one: the pool would
    // count it for ever, run out of clients after a few restarts, and `pool.end()` would never
    // return. Release a dead LISTEN client (with an error, so the pool discards it). The adapter's
    // own close() removes this listener before it releases a live client.
    const adapterPool = {
      connect: async () => {
        const client = await pool.connect();
        client.once('end', () => {
          try {
            client.release(new Error('connection ended'));
          } catch {
            // already released
          }
        });
        return client;
      },
      query: pool.query.bind(pool),
    } as unknown as Pool;
    this.adapterFactory = createPostgresAdapter(adapterPool, {
      channelPrefix: 'taskdeck_sio',
      errorHandler: (e) => this.log.warn(`socket.io postgres adapter: ${e.message}`),
    });
    this.closers.push(() => pool.end());
    this.log.log('Socket.IO adapter: PostgreSQL');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // What a client may send is small (subscribe requests): 1 MB bounds a hostile one. CORS is the
    // server's, whatever a gateway declares.
    const server = super.createIOServer(port, {
      ...options,
      cors: this.options.cors,
      maxHttpBufferSize: 1e6,
    } as ServerOptions);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    this.app.get(ClusterBus).attach(server.of('/'));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    // A close that hangs (a peer that never answers) must not hold up the shutdown.
    for (const close of this.closers.splice(0)) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)),
      );
      await Promise.race([close().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
  }
}
