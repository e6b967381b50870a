// The server's own log: JSON to exactly the LOG_FILE path (rotated beside it), the `level` setting
// honoured live, and no secrets in it (no Authorization header, no passwords, no tokens).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, TEST_ADMIN, type TestApp } from './utils/test-app';

/** The log at exactly LOG_FILE (no rotation happens in this test: far below 50 MB). */
async function fileLog(dir: string): Promise<string> {
  return readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
}

describe('server log', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-log-'));
    t = await startTestApp({ env: { LOG_FILE: join(dir, 'server.log') } });
  });
  afterAll(() => t?.close());

  it('writes JSON lines to LOG_FILE, follows the level setting live, and keeps secrets out', async () => {
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    await admin.get('/api/tasks?marker=first-request');
    await waitFor(
      async () => ((await fileLog(dir)).includes('first-request') ? true : undefined),
      5000,
      'the request line',
    );

    expect((await admin.patch('/api/settings/logging', { level: 'ERROR' })).status).toBe(200);
    await admin.get('/api/tasks?marker=while-error-level');
    expect((await admin.patch('/api/settings/logging', { level: 'INFO' })).status).toBe(200);
    await admin.get('/api/tasks?marker=after-info-again');
    await waitFor(
      async () => ((await fileLog(dir)).includes('after-info-again') ? true : undefined),
      5000,
      'the later line',
    );

    const text = await fileLog(dir);
    expect((await readdir(dir)).filter((name) => !name.startsWith('.'))).toEqual(['server.log']);
    expect(text).not.toContain('while-error-level');
    expect(text).toMatch(/audit: admin changed the logging settings: level INFO → ERROR/);
    for (const line of text.trim().split('\n')) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    const token = await t.tokenFor('admin');
    expect(text).not.toContain(token);
    expect(text).not.toContain(TEST_ADMIN.password);
    expect(text.toLowerCase()).not.toContain('bearer ');
  });

  it('logs successful hot reads at DEBUG only, and every other request at INFO', async () => {
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    // At INFO (the default): the hot read leaves no line; a failed request (400) does.
    expect((await admin.get('/api/auth/me?marker=hot-read-at-info')).status).toBe(200);
    expect((await admin.get('/api/tasks?marker=cold-after-hot')).status).toBe(400);
    await waitFor(
      async () => ((await fileLog(dir)).includes('cold-after-hot') ? true : undefined),
      5000,
      'the 400 line',
    );
    expect(await fileLog(dir)).not.toContain('hot-read-at-info');

    // At DEBUG the hot read is logged too, with the same fields.
    expect((await admin.patch('/api/settings/logging', { level: 'DEBUG' })).status).toBe(200);
    try {
      expect((await admin.get('/api/auth/me?marker=hot-read-at-debug')).status).toBe(200);
      const line = await waitFor(
        async () =>
          (await fileLog(dir)).split('\n').find((l) => l.includes('hot-read-at-debug')) ??
          undefined,
        5000,
        'the DEBUG line',
      );
      const entry = JSON.parse(line) as { level: number; req: object; res: object };
      expect(entry.level).toBe(20); // pino's debug
      expect(entry.req).toMatchObject({
        method: 'GET',
        url: '/api/auth/me?marker=hot-read-at-debug',
      });
      expect(entry.res).toEqual({ statusCode: 200 });

      // What the application logs while serving a request carries that request's id, as its access
      // line does.
      const parsed = (await fileLog(dir))
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { reqId?: number; msg: string; req?: { method: string } },
        );
      const audit = parsed.find((line) => line.msg.includes('level INFO → DEBUG'));
      expect(audit?.reqId).toEqual(expect.any(Number));
      const patch = parsed.filter(
        (line) => line.reqId === audit?.reqId && line.msg === 'request completed',
      );
      expect(patch).toHaveLength(1);
      expect(patch[0].req?.method).toBe('PATCH');
    } finally {
      await admin.patch('/api/settings/logging', { level: 'INFO' });
    }
  });
});
