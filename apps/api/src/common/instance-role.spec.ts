import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveHealthOnly, startupRole } from './instance-role';

function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, method, host: '127.0.0.1' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('instance roles', () => {
  it('needs a shared database for the api and worker roles', () => {
    expect(startupRole({})).toBe('all');
    expect(startupRole({ TASKDECK_ROLE: 'worker', DATABASE_URL: 'postgres://db/x' })).toBe(
      'worker',
    );
    expect(() => startupRole({ TASKDECK_ROLE: 'api' })).toThrow(
      'TASKDECK_ROLE=api needs DATABASE_URL',
    );
  });

  describe('a worker’s HTTP server', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((_req, res) => res.end('served'));
      server.on('upgrade', (_req, socket) =>
        socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n'),
      );
      serveHealthOnly(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('passes GET /api/health only, and answers 404 with a reason to the rest', async () => {
      expect(await get(port, '/api/health')).toEqual({ status: 200, body: 'served' });
      expect(await get(port, '/api/health?probe=1')).toEqual({ status: 200, body: 'served' });
      for (const [path, method] of [
        ['/api/tasks', 'GET'],
        ['/api/health', 'POST'],
        ['/api/healthz', 'GET'],
        ['/', 'GET'],
        ['/socket.io/?EIO=4&transport=polling', 'GET'],
      ]) {
        const res = await get(port, path, method);
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 404 });
        expect(JSON.parse(res.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
      }
    });

    it('refuses WebSocket upgrades', async () => {
      const closed = await new Promise<string>((resolve) => {
        const req = request({
          port,
          host: '127.0.0.1',
          path: '/socket.io/?EIO=4&transport=websocket',
          headers: { connection: 'Upgrade', upgrade: 'websocket' },
        });
        req.on('upgrade', () => resolve('upgraded'));
        req.on('error', () => resolve('closed'));
        req.on('close', () => resolve('closed'));
        req.end();
      });
      expect(closed).toBe('closed');
    });
  });
});
