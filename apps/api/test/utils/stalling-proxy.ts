// A TCP proxy on loopback in front of Postgres that can stall: a database outage as a server sees
// one that hangs (as with SIGSTOP of the postmaster), without touching the shared test cluster.
// While stalled nothing is forwarded either way and new connections are accepted but not connected;
// resume() lets everything through again. Connections closed by either end meanwhile are closed on
// the other end too.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface StallingProxy {
  /** The database URL with host and port replaced by the proxy's. */
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallingProxy(databaseUrl: string): Promise<StallingProxy> {
  const target = new URL(databaseUrl);
  const host = target.hostname;
  const port = Number(target.port || 5432);
  let stalled = false;
  /** Chunks held while stalled, per direction, flushed on resume. */
  const held: { to: Socket; chunk: Buffer }[] = [];
  const pending: (() => void)[] = [];
  const sockets = new Set<Socket>();

  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (stalled) held.push({ to, chunk });
      else to.write(chunk);
    });
  };
  const link = (client: Socket): void => {
    const upstream = connect({ host, port });
    sockets.add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    forward(client, upstream);
    forward(upstream, client);
  };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.setNoDelay(true);
    if (!stalled) return link(client);
    // Accepted, not connected: the client waits as for a database that does not answer.
    client.pause();
    client.on('error', () => sockets.delete(client));
    pending.push(() => {
      if (client.destroyed) return;
      link(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  return {
    url: url.toString(),
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const { to, chunk } of held.splice(0)) if (!to.destroyed) to.write(chunk);
      for (const go of pending.splice(0)) go();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
