// TASKDECK_ROLE at the HTTP edge: `all` and `api` serve everything; a `worker` answers only
// GET /api/health (for its orchestrator's probes). Every other request gets a 404 and every
// WebSocket upgrade is refused — the console, the API and Socket.IO clients are the api
// instances' job. The worker still has its Socket.IO server: it is how the log batches of the
// tasks it runs reach the api instances (through the cluster adapter, not through clients).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { instanceRole, type InstanceRole } from '../config/tasks.config';

const HEALTH_PATH = /^\/api\/health\/?(\?.*)?$/;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The role of the instance about to start. An `api` or `worker` instance is one part of a cluster,
 * so it needs the database the other parts share: an embedded one would leave it alone.
 */
export function startupRole(env: Record<string, string | undefined>): InstanceRole {
  const role = instanceRole(env);
  if (role !== 'all' && !env.DATABASE_URL) {
    throw new Error(
      `TASKDECK_ROLE=${role} needs DATABASE_URL: the PostgreSQL shared with the other instances`,
    );
  }
  return role;
}

/** Call after configureApp() and before listen(). */
export async function applyInstanceRole(app: INestApplication, role: InstanceRole): Promise<void> {
  if (role !== 'worker') return;
  await app.init(); // attaches Socket.IO, so that the gate below sits in front of it too
  serveHealthOnly(app.getHttpServer() as Server);
}

/** Puts a gate in front of every listener of the server: only the health check gets through. */
export function serveHealthOnly(server: Server): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET' && HEALTH_PATH.test(request.url ?? '')) {
      for (const listener of listeners) listener.call(server, request, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        statusCode: 404,
        error: 'Not Found',
        message: 'this is a worker instance: it serves GET /api/health only',
      }),
    );
  });
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => socket.destroy());
}
