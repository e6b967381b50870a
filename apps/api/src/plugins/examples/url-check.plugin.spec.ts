// The documented example plugin runs against a real HTTP server on loopback, and the doc quotes it
// as it is.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { recordingTaskContext } from '../../plugin-api/testing/recording-task-context';
import { UrlCheckPlugin } from './url-check.plugin';

const recordingContext = (signal?: AbortSignal) =>
  recordingTaskContext({ source: 'url-check', ...(signal ? { signal } : {}) });

describe('the example plugin of docs/plugin_dev.md', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.statusCode = req.url === '/ok' ? 200 : 503;
      res.end('body');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('states its id, name, description and schema once, and has them as fields', () => {
    const plugin = new UrlCheckPlugin();
    expect(plugin.id).toBe('url-check');
    expect(plugin.name).toBe('URL check');
    expect(plugin.description).toMatch(/2xx/);
    expect(plugin.paramsSchema).toMatchObject({ required: ['urls'] });
  });

  it('logs each request under http, a down URL at WARNING, the summary at INFO', async () => {
    const { context, lines, progress } = recordingContext();
    const result = await new UrlCheckPlugin().execute(
      { urls: [`${base}/ok`, `${base}/down`, `${base}/slow`], timeoutMs: 300 },
      context,
    );
    expect(result).toEqual({ up: 1, down: [`${base}/down`, `${base}/slow`] });
    expect(lines.filter((l) => l.source === 'http').map((l) => l.level)).toEqual([
      'DEBUG',
      'DEBUG',
      'DEBUG',
    ]);
    expect(lines.filter((l) => l.level === 'WARNING').map((l) => l.message)).toEqual([
      `${base}/down is down: status 503`,
      expect.stringContaining(`${base}/slow is down`),
    ]);
    expect(lines).toContainEqual({
      level: 'INFO',
      source: 'url-check',
      message: '1 of 3 URLs are up',
      metadata: { up: 1, down: 2 },
    });
    expect(progress[progress.length - 1]).toBe(100);
  });

  it('fails the task when no URL answers, and stops when cancelled', async () => {
    await expect(
      new UrlCheckPlugin().execute(
        { urls: [`${base}/down`], timeoutMs: 1000 },
        recordingContext().context,
      ),
    ).rejects.toThrow('none of the 1 URLs answered');
    const cancel = new AbortController();
    const run = new UrlCheckPlugin().execute(
      { urls: [`${base}/slow`], timeoutMs: 60_000 },
      recordingContext(cancel.signal).context,
    );
    setTimeout(() => cancel.abort(new Error('cancelled by test')), 50);
    await expect(run).rejects.toThrow('cancelled by test');
  });

  it('is quoted by docs/plugin_dev.md exactly as it is', () => {
    const source = readFileSync(join(__dirname, 'url-check.plugin.ts'), 'utf8');
    const doc = readFileSync(join(__dirname, '../../../../../docs/plugin_dev.md'), 'utf8');
    expect(doc).toContain('```ts\n' + source.slice(source.indexOf('import {')) + '```');
  });
});
