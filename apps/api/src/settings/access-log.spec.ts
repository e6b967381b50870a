import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { accessLog, accessLogLevel } from './access-log';

describe('accessLogLevel', () => {
  const id = '7d1f6f0e-6f0a-4b8e-9c59-1f2d3c4b5a69';

  it.each([
    '/api/auth/me',
    '/api/tasks',
    '/api/tasks?status=RUNNING&limit=50',
    `/api/tasks/${id}`,
    `/api/tasks/${id}/logs`,
    `/api/tasks/${id}/logs?limit=100&afterSeq=900000`,
    `/api/tasks/${id}/logs/stats`,
    `/api/tasks/${id}/logs/sources`,
  ])('successful GET %s: DEBUG', (url) => {
    expect(accessLogLevel('GET', url, 200)).toBe('debug');
    expect(accessLogLevel('HEAD', url, 304)).toBe('debug');
  });

  it.each([
    ['GET', `/api/tasks/${id}/logs/download?format=text`, 200],
    ['GET', '/api/users', 200],
    ['GET', '/api/settings/logging', 200],
    ['GET', '/api/auth/meow', 404],
    ['GET', `/api/tasks/${id}/logs/stats/more`, 404],
    ['POST', '/api/tasks', 201],
    ['POST', `/api/tasks/${id}/cancel`, 200],
    ['PATCH', '/api/settings/logging', 200],
    ['POST', '/api/auth/login', 200],
    ['GET', '/api/auth/me', 401],
    ['GET', `/api/tasks/${id}/logs?limit=0`, 400],
    ['GET', `/api/tasks/${id}`, 404],
    ['GET', `/api/tasks/${id}/logs`, 500],
    ['GET', '/', 200],
  ] as const)('%s %s → %i: INFO', (method, url, status) => {
    expect(accessLogLevel(method, url, status)).toBe('info');
  });
});

describe('accessLog', () => {
  interface Line {
    level: number;
    msg: string;
    reqId: number;
    req: { id: number; method: string; url: string };
    res: { statusCode: number | null };
    responseTime: number;
    inside?: boolean;
  }

  let server: Server;
  let base: string;
  let lines: Line[];
  let root: Logger;
  /** What the handler does after the middleware: answer with this status, or never (abort). */
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    lines = [];
    root = pino(
      { level: 'info' },
      { write: (text: string) => lines.push(JSON.parse(text) as Line) },
    );
    const middleware = accessLog(root);
    server = createServer((req, res) => middleware(req, res, () => answer(req, res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    answer = (_req, res) => res.writeHead(200).end('{}');
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const settled = (count: number): Promise<Line[]> =>
    waitUntil(() => (lines.length >= count ? lines : undefined));

  it('writes one line per request with its id, method, masked URL, status and time', async () => {
    answer = (_req, res) => res.writeHead(201).end('{}');
    await fetch(`${base}/api/tasks?token=secret-value&x=1`, { method: 'POST' });
    const [line] = await settled(1);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 1,
      req: { id: 1, method: 'POST', url: '/api/tasks?token=[redacted]&x=1' },
      res: { statusCode: 201 },
    });
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(line)).not.toContain('secret-value');
  });

  it('numbers requests 1, 2, 3… and gives each a logger carrying its id', async () => {
    answer = (req, res) => {
      req.log.info({ inside: true }, 'while serving');
      res.writeHead(400).end('{}');
    };
    await fetch(`${base}/api/users`);
    await fetch(`${base}/api/users`);
    const found = await settled(4);
    expect(found.map((line) => [line.msg, line.reqId])).toEqual([
      ['while serving', 1],
      ['request completed', 1],
      ['while serving', 2],
      ['request completed', 2],
    ]);
  });

  it('logs successful hot reads only when DEBUG is on, and never health probes or socket polls', async () => {
    await fetch(`${base}/api/auth/me`);
    await fetch(`${base}/api/health`);
    await fetch(`${base}/socket.io/?EIO=4&transport=polling`);
    await fetch(`${base}/api/users?after=quiet`);
    expect((await settled(1)).map((line) => line.req.url)).toEqual(['/api/users?after=quiet']);

    root.level = 'debug';
    await fetch(`${base}/api/auth/me?now=debug`);
    await fetch(`${base}/api/health?now=debug`);
    await fetch(`${base}/api/users?after=debug`);
    const found = await settled(3);
    expect(found.slice(1).map((line) => [line.level, line.req.url])).toEqual([
      [20, '/api/auth/me?now=debug'],
      [30, '/api/users?after=debug'],
    ]);
  });

  it('says when the answer failed and when the client went away first', async () => {
    answer = (_req, res) => res.writeHead(503).end('{}');
    await fetch(`${base}/api/tasks`);
    expect((await settled(1))[0]).toMatchObject({
      msg: 'request errored',
      res: { statusCode: 503 },
    });

    answer = () => undefined; // never answers
    const gone = new Promise<void>((resolve) => {
      const req = request(`${base}/api/tasks`);
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    await gone;
    expect((await settled(2))[1]).toMatchObject({
      level: 30, // a hot read's route, but it never succeeded
      msg: 'request aborted',
      req: { id: 2 },
      res: { statusCode: null },
    });
  });
});

async function waitUntil<T>(probe: () => T | undefined, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
