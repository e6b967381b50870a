// GET /api/tasks/:id/logs and friends on a real debug `emit` run: every filter alone and combined,
// cursor paging both ways, stats, sources and downloads.
import { LOG_LEVELS, type LogEntry, type LogPage, type LogStats } from '@taskdeck/contracts';
import { ApiClient } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { range, readAllLogs, startTask, waitForStatus } from './utils/tasks';

const COUNT = 2400;
const SOURCES = ['alpha', 'beta', 'gamma'];

/** What the debug plugin's emit contract says entry i is. */
function expected(i: number): { source: string; level: string } {
  return { source: SOURCES[i % SOURCES.length], level: LOG_LEVELS[i % 4] };
}

describe('task logs over REST', () => {
  let t: TestApp;
  let viewer: ApiClient;
  let taskId: string;
  let all: LogEntry[];

  beforeAll(async () => {
    t = await startTestApp({ env: { TASK_LOG_FLUSH_MS: '10' } });
    const operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    // emit writes all four levels; store DEBUG too.
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    expect((await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
      200,
    );
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: COUNT,
      sources: SOURCES,
      payloadBytes: 60,
    });
    taskId = task.id;
    await waitForStatus(viewer, taskId, ['SUCCESS']);
    all = (await readAllLogs(viewer, taskId)).filter((e) => e.source !== 'debug');
  });
  afterAll(() => t.close());

  it('stores what emit wrote, in order, with the contract shape', () => {
    const emitted = all.filter((e) => /#\d+/.test(e.message) && SOURCES.includes(e.source));
    expect(emitted).toHaveLength(COUNT);
    emitted.forEach((entry, i) => {
      expect(entry.message).toContain(`#${i}`);
      expect({ source: entry.source, level: entry.level }).toEqual(expected(i));
    });
    const sample = emitted[5];
    expect(Object.keys(sample).sort()).toEqual([
      'level',
      'message',
      'metadata',
      'seq',
      'source',
      'taskId',
      'timestamp',
    ]);
    expect(sample.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(sample.taskId).toBe(taskId);
  });

  it('answers a page with the security headers and without an ETag (none is computed)', async () => {
    const res = await viewer.get<LogPage>(`/api/tasks/${taskId}/logs?limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('numbers the whole log densely from 1', async () => {
    const every = await readAllLogs(viewer, taskId);
    expect(every.map((e) => e.seq)).toEqual(range(1, every.length));
  });

  it('filters by minimum level', async () => {
    for (const level of LOG_LEVELS) {
      const got = await readAllLogs(viewer, taskId, `level=${level}`);
      const rank = LOG_LEVELS.indexOf(level);
      const want = (await readAllLogs(viewer, taskId)).filter(
        (e) => LOG_LEVELS.indexOf(e.level) >= rank,
      );
      expect(got.map((e) => e.seq)).toEqual(want.map((e) => e.seq));
    }
  });

  it('filters by one source and by several', async () => {
    const beta = await readAllLogs(viewer, taskId, 'source=beta');
    expect(beta).toHaveLength(COUNT / 3);
    expect(new Set(beta.map((e) => e.source))).toEqual(new Set(['beta']));
    const two = await readAllLogs(viewer, taskId, 'source=alpha,gamma');
    expect(two).toHaveLength((2 * COUNT) / 3);
    expect(two.every((e) => e.source === 'alpha' || e.source === 'gamma')).toBe(true);
    expect(await readAllLogs(viewer, taskId, 'source=nobody')).toEqual([]);
  });

  it('searches message text case-insensitively, literally', async () => {
    const every = await readAllLogs(viewer, taskId);
    const hits = await readAllLogs(viewer, taskId, `search=${encodeURIComponent('#123')}`);
    const want = every.filter((e) => e.message.toLowerCase().includes('#123'));
    expect(hits.map((e) => e.seq)).toEqual(want.map((e) => e.seq));
    expect(hits.length).toBeGreaterThan(0);
    for (const needle of ['%', '_', "'", '"', '\\', '%_%', "' OR 1=1 --"]) {
      const res = await viewer.get<LogPage>(
        `/api/tasks/${taskId}/logs?search=${encodeURIComponent(needle)}`,
      );
      expect(res.status).toBe(200);
      const want = every.filter((e) => e.message.toLowerCase().includes(needle.toLowerCase()));
      expect(res.body.items.map((e) => e.seq)).toEqual(want.slice(0, 100).map((e) => e.seq));
    }
  });

  it('combines level, source and search with AND', async () => {
    const got = await readAllLogs(
      viewer,
      taskId,
      `level=WARNING&source=alpha,beta&search=${encodeURIComponent('#1')}`,
    );
    const want = (await readAllLogs(viewer, taskId)).filter(
      (e) =>
        LOG_LEVELS.indexOf(e.level) >= 2 &&
        (e.source === 'alpha' || e.source === 'beta') &&
        e.message.includes('#1'),
    );
    expect(got.map((e) => e.seq)).toEqual(want.map((e) => e.seq));
    expect(got.length).toBeGreaterThan(10);
  });

  it('pages forwards with nextCursor and backwards with beforeSeq, missing and repeating nothing', async () => {
    const filter = 'level=INFO&source=alpha,gamma';
    const want = await readAllLogs(viewer, taskId, filter);

    const forward: number[] = [];
    let after = 0;
    for (;;) {
      const res = await viewer.get<LogPage>(
        `/api/tasks/${taskId}/logs?${filter}&limit=37&afterSeq=${after}`,
      );
      expect(res.body.items.length).toBeLessThanOrEqual(37);
      forward.push(...res.body.items.map((e) => e.seq));
      if (res.body.nextCursor === null) break;
      after = res.body.nextCursor;
    }
    expect(forward).toEqual(want.map((e) => e.seq));

    const backward: number[] = [];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const res = await viewer.get<LogPage>(
        `/api/tasks/${taskId}/logs?${filter}&limit=41&beforeSeq=${before}`,
      );
      const seqs = res.body.items.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      backward.unshift(...seqs);
      if (res.body.prevCursor === null) break;
      before = res.body.prevCursor;
    }
    expect(backward).toEqual(want.map((e) => e.seq));
  });

  it('answers stats and sources from the counters', async () => {
    const every = await readAllLogs(viewer, taskId);
    const stats = await viewer.get<LogStats>(`/api/tasks/${taskId}/logs/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body.total).toBe(every.length);
    for (const level of LOG_LEVELS) {
      expect(stats.body.byLevel[level]).toBe(every.filter((e) => e.level === level).length);
    }
    const bySource: Record<string, number> = {};
    for (const e of every) bySource[e.source] = (bySource[e.source] ?? 0) + 1;
    expect(stats.body.bySource).toEqual(bySource);

    const sources = await viewer.get<string[]>(`/api/tasks/${taskId}/logs/sources`);
    expect(sources.body).toEqual(Object.keys(bySource).sort());
  });

  it('downloads the whole log as text and as NDJSON, with filters', async () => {
    const every = await readAllLogs(viewer, taskId);
    const text = await viewer.get<string>(`/api/tasks/${taskId}/logs/download?format=text`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-disposition')).toMatch(/attachment; filename="?task-.*\.log/);
    const lines = text.body.trimEnd().split('\n');
    expect(lines).toHaveLength(every.length);
    expect(lines[0]).toContain(every[0].message);

    const nd = await viewer.get<string>(
      `/api/tasks/${taskId}/logs/download?format=ndjson&source=beta&level=ERROR`,
    );
    expect(nd.status).toBe(200);
    expect(nd.headers.get('content-disposition')).toMatch(/\.ndjson/);
    const parsed = String(nd.body)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEntry);
    const want = every.filter((e) => e.source === 'beta' && e.level === 'ERROR');
    expect(parsed).toEqual(want);
  });

  it('answers 400 with a reason for bad query values, 404 for an unknown task, 400 for a bad id', async () => {
    const bad = [
      'level=TRACE',
      'level=',
      'limit=0',
      'limit=5000',
      'limit=abc',
      'limit=1.5',
      'afterSeq=abc',
      'afterSeq=-1',
      'beforeSeq=x',
      `search=${'x'.repeat(2000)}`,
      'unknown=1',
    ];
    for (const query of bad) {
      const res = await viewer.get<{ statusCode: number; message: unknown }>(
        `/api/tasks/${taskId}/logs?${query}`,
      );
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.message).toBeTruthy();
    }
    expect((await viewer.get(`/api/tasks/${taskId}/logs/download?format=xml`)).status).toBe(400);
    expect((await viewer.get('/api/tasks/not-a-uuid/logs')).status).toBe(400);
    expect((await viewer.get(`/api/tasks/' OR 1=1/logs`)).status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of ['logs', 'logs/stats', 'logs/sources', 'logs/download']) {
      expect((await viewer.get(`/api/tasks/${unknown}/${path}`)).status).toBe(404);
    }
  });

  it('needs a token for every log route', async () => {
    const anon = new ApiClient(t.url);
    for (const path of ['logs', 'logs/stats', 'logs/sources', 'logs/download']) {
      expect((await anon.get(`/api/tasks/${taskId}/${path}`)).status).toBe(401);
    }
  });
});
