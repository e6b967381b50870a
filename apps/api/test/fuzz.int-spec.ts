// Hostile input, as a suite of its own (issue 16): property-based fuzzing (fast-check) of every
// REST route of the server's OpenAPI document and of every socket input (the handshake, `subscribe`,
// `unsubscribe`), against the built server in its own process. Pass: no 5xx, the process still
// running, no uncaught exception or unhandled rejection in its log, and the stored state after a
// request that could change it equal to the state before (every such request here carries a
// certainly invalid part, so nothing may be half-applied). Every socket request sent with an ack
// callback gets its ack, `{ok: true, ...}` or `{ok: false, error}`.
// In `npm test`: fixed seed, 1,000 REST and 300 socket inputs. `npm run fuzz`: more, new seed.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginResponse, Task } from '@taskdeck/contracts';
import fc from 'fast-check';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { describeRequest, hostileRequest, type HostileRequest } from './fuzz/hostile-requests';
import { socketInput, type SocketInput } from './fuzz/hostile-sockets';
import { restRoutes, type RestRoute } from './fuzz/rest-routes';
import { stateFingerprint } from './fuzz/state-fingerprint';
import { ApiClient } from './utils/api-client';
import { startServerProcess, type ServerProcess } from './utils/server-process';
import { startTask, waitForStatus } from './utils/tasks';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { TEST_ADMIN } from './utils/test-app';

const LONG = process.env.FUZZ_LONG === '1';
const REST_RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
const SOCKET_RUNS = LONG ? Math.ceil(REST_RUNS / 4) : 300;
const SEED = Number(process.env.FUZZ_SEED ?? 16_016);
/** What the crash guard writes when something escaped (common/process/crash-guard.ts). */
const ESCAPED = /uncaught exception|unhandled rejection|RxJS subscriber error/;
/** An ack comes in milliseconds; this only bounds the wait for one that never comes. */
const ACK_TIMEOUT_MS = 15_000;
/** The server's maxHttpBufferSize (cluster/socket-adapter.ts): a bigger packet closes the socket. */
const MAX_PACKET_BYTES = 1e6;

function isAck(answer: unknown): boolean {
  const ack = answer as { ok?: unknown; error?: unknown } | null;
  return ack?.ok === true || (ack?.ok === false && typeof ack.error === 'string' && !!ack.error);
}

describe('hostile input (fast-check)', () => {
  let databaseUrl: string;
  let server: ServerProcess;
  let db: Client;
  let token: string;
  let logFile: string;
  let routes: RestRoute[];
  const tried = { rest: 0, socket: 0, socketUnacked: 0 };
  const perRoute = new Map<string, number>();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    logFile = join(await mkdtemp(join(tmpdir(), 'taskdeck-fuzz-')), 'server.log');
    server = await startServerProcess({
      databaseUrl,
      // The login path itself is fuzzed, not only the throttle in front of it.
      env: {
        LOG_FILE: logFile,
        LOGIN_MAX_FAILURES_PER_IP: '100000',
        LOGIN_MAX_FAILURES_PER_USER: '10000',
      },
    });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const login = await new ApiClient(server.url).post<LoginResponse>(
      '/api/auth/login',
      TEST_ADMIN,
    );
    token = login.body.accessToken;
    routes = await restRoutes(server.url);
  });

  afterAll(async () => {
    process.stdout.write(
      `\n[fuzz] ${tried.rest + tried.socket} hostile inputs: ${tried.rest} REST over ${perRoute.size} routes, ` +
        `${tried.socket} socket, ${tried.socketUnacked} of whose acks did not come (seed ${SEED})\n`,
    );
    await db?.end();
    await server?.kill('SIGTERM');
    await dropTestDatabase(databaseUrl);
  });

  function alive(): void {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`the server died:\n${server.output().slice(-4000)}`);
    }
  }

  async function send(request: HostileRequest): Promise<number> {
    const headers: Record<string, string> = {};
    if (request.asAdmin) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body && 'json' in request.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body.json) ?? 'null';
    } else if (request.body) {
      headers['content-type'] = request.body.contentType;
      body = request.body.raw;
    }
    const res = await fetch(request.url, { method: request.method, headers, body });
    await res.arrayBuffer();
    return res.status;
  }

  it('covers every route of the OpenAPI document', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /api/auth/login',
      'POST /api/auth/password',
      'PATCH /api/users/{id}',
      'DELETE /api/users/{id}',
      'POST /api/tasks',
      'GET /api/tasks/{id}/logs',
      'PATCH /api/settings/logging',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('REST: no 5xx, no crash, and a refused request changes nothing', async () => {
    // Something to aim at: a finished task and another user, whose ids the inputs reuse.
    const admin = new ApiClient(server.url, token);
    const task = await startTask(admin, 'debug', { action: 'emit', count: 20 });
    await waitForStatus(admin, task.id, ['SUCCESS']);
    const other = await admin.post<{ id: string }>('/api/users', {
      username: 'fuzz-target',
      password: 'fuzz-target-password',
      role: 'viewer',
    });
    const ids = [task.id, other.body.id];

    const arbitrary = fc
      .constantFrom(...routes)
      .chain((route) => hostileRequest(route, server.url, ids));
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const before = request.route.mutating ? await stateFingerprint(db) : '';
        const status = await send(request);
        tried.rest++;
        const key = `${request.route.method} ${request.route.path}`;
        perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
        alive();
        const what = describeRequest(request);
        if (status >= 500) throw new Error(`${status} for ${what}`);
        if (request.route.mutating) {
          if (status < 400) throw new Error(`accepted (${status}): ${what}`);
          if ((await stateFingerprint(db)) !== before) throw new Error(`state changed by ${what}`);
        }
      }),
      { seed: SEED, numRuns: REST_RUNS, endOnFailure: !LONG },
    );
    expect([...perRoute.keys()].sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('Socket.IO: hostile handshakes and events leave the server serving', async () => {
    const tasks = await new ApiClient(server.url, token).get<{ items: Task[] }>('/api/tasks');
    const taskIds = tasks.body.items.map((t) => t.id);
    const before = await stateFingerprint(db);
    let shared = io(`${server.url}/tasks`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });

    const run = async (input: SocketInput): Promise<void> => {
      tried.socket++;
      if (input.kind === 'handshake') {
        const socket = io(`${server.url}/tasks`, {
          auth: input.auth as Record<string, unknown>,
          query: input.query,
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 500);
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          socket.once('connect', done);
          socket.once('connect_error', done);
        });
        socket.close();
      } else {
        if (!shared.connected) {
          shared.close();
          shared = io(`${server.url}/tasks`, {
            auth: { token },
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
          });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2_000);
            shared.once('connect', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        if (input.withAck) {
          const what = `${input.event} ${JSON.stringify(input.payload).slice(0, 300)}`;
          const answer: unknown = await shared
            .timeout(ACK_TIMEOUT_MS)
            .emitWithAck(input.event, ...input.payload)
            .catch((error: Error) => error);
          // Only a packet over the server's limit may end the connection instead of an ack.
          const tooBig =
            Buffer.byteLength(JSON.stringify([input.event, ...input.payload])) > MAX_PACKET_BYTES;
          if (answer instanceof Error && !(tooBig && shared.disconnected)) {
            tried.socketUnacked++;
            throw new Error(`no ack (${answer.message}) for ${what}`);
          }
          if (!(answer instanceof Error) && !isAck(answer)) {
            throw new Error(`ack ${JSON.stringify(answer)} for ${what}`);
          }
        } else {
          shared.emit(input.event, ...input.payload);
        }
      }
      alive();
    };
    try {
      await fc.assert(fc.asyncProperty(socketInput(taskIds, token), run), {
        seed: SEED,
        numRuns: SOCKET_RUNS,
        endOnFailure: !LONG,
      });
    } finally {
      shared.close();
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(await stateFingerprint(db)).toBe(before);
  });

  it('logged no uncaught exception or unhandled rejection, and ran at least 1,000 inputs', async () => {
    alive();
    const log = await readFile(logFile, 'utf8');
    const escaped = log.split('\n').filter((line) => ESCAPED.test(line));
    expect(escaped).toEqual([]);
    expect(tried.rest + tried.socket).toBeGreaterThanOrEqual(1_000);
  });
});
