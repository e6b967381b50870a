// LLM providers through the real app (CONTRACT.md "LLM providers"): routes and roles, the API key
// write-only and sealed at rest, one default at most, and the test call against a fake
// OpenAI-compatible server, with the key in no answer and no server log line.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlmProvider, LlmProviderTestResult } from '@taskdeck/contracts';
import { FakeLlm } from './fakes/llm/fake-llm';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';

const API_KEY = 'sk-test-provider-key-0123456789abcdef';

describe('LLM providers', () => {
  let t: TestApp;
  let fake: FakeLlm;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let logDir: string;

  beforeAll(async () => {
    fake = await FakeLlm.start({ apiKey: API_KEY });
    logDir = await mkdtemp(join(tmpdir(), 'taskdeck-llm-log-'));
    t = await startTestApp({ env: { LOG_FILE: join(logDir, 'server.log') } });
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    await admin.patch('/api/settings/logging', { level: 'DEBUG' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('creates, lists, updates and deletes; the key is write-only and sealed at rest', async () => {
    const created = await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'Fake',
      baseUrl: `${fake.baseUrl}/`,
      model: 'gpt-fake',
      apiKey: API_KEY,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Fake',
      baseUrl: fake.baseUrl,
      model: 'gpt-fake',
      isDefault: false,
      hasApiKey: true,
    });
    const listed = await viewer.get<LlmProvider[]>('/api/llm/providers');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([created.body]);
    expect(JSON.stringify(listed.body)).not.toContain(API_KEY);
    const [row] = await t.dataSource.query<{ api_key_sealed: string }[]>(
      'SELECT api_key_sealed FROM llm_providers WHERE id = $1',
      [created.body.id],
    );
    expect(row.api_key_sealed).toBeTruthy();
    expect(row.api_key_sealed).not.toContain(API_KEY);

    const renamed = await admin.patch<LlmProvider>(`/api/llm/providers/${created.body.id}`, {
      name: 'Fake renamed',
    });
    expect(renamed.body).toMatchObject({ name: 'Fake renamed', hasApiKey: true });
    const keyless = await admin.patch<LlmProvider>(`/api/llm/providers/${created.body.id}`, {
      apiKey: '',
    });
    expect(keyless.body.hasApiKey).toBe(false);
    expect((await admin.delete(`/api/llm/providers/${created.body.id}`)).status).toBe(204);
    expect((await viewer.get(`/api/llm/providers/${created.body.id}`)).status).toBe(404);
  });

  it('refuses bad input with 400, lower roles with 403, a taken name with 409, and changes nothing', async () => {
    const good = { name: 'Good', baseUrl: fake.baseUrl, model: 'm' };
    for (const bad of [
      { ...good, baseUrl: 'ftp://x' },
      { ...good, baseUrl: 'http://user:pw@host/v1' },
      { ...good, model: '' },
      { ...good, name: '' },
      { ...good, isDefault: 'yes' },
      { ...good, extra: 1 },
      { name: 'No URL', model: 'm' },
    ]) {
      const response = await admin.post<{ statusCode: number }>('/api/llm/providers', bad);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
    }
    expect((await operator.post('/api/llm/providers', good)).status).toBe(403);
    expect((await viewer.post('/api/llm/providers', good)).status).toBe(403);
    expect((await viewer.get('/api/llm/providers/not-a-uuid')).status).toBe(400);
    expect(
      (await viewer.get('/api/llm/providers/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await viewer.get<LlmProvider[]>('/api/llm/providers')).body).toEqual([]);

    const created = await admin.post<LlmProvider>('/api/llm/providers', good);
    expect((await admin.post('/api/llm/providers', { ...good, name: 'GOOD' })).status).toBe(409);
    const id = created.body.id;
    expect((await operator.patch(`/api/llm/providers/${id}`, { name: 'x' })).status).toBe(403);
    expect((await admin.patch(`/api/llm/providers/${id}`, { name: null })).status).toBe(400);
    expect((await operator.delete(`/api/llm/providers/${id}`)).status).toBe(403);
    expect((await viewer.get<LlmProvider>(`/api/llm/providers/${id}`)).body.name).toBe('Good');
    await admin.delete(`/api/llm/providers/${id}`);
  });

  it('keeps one default: a new default clears the old one', async () => {
    const a = await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'A',
      baseUrl: fake.baseUrl,
      model: 'm',
      isDefault: true,
    });
    const b = await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'B',
      baseUrl: fake.baseUrl,
      model: 'm',
      isDefault: true,
    });
    let list = (await viewer.get<LlmProvider[]>('/api/llm/providers')).body;
    expect(list.map((p) => [p.name, p.isDefault])).toEqual([
      ['A', false],
      ['B', true],
    ]);
    await admin.patch(`/api/llm/providers/${a.body.id}`, { isDefault: true });
    list = (await viewer.get<LlmProvider[]>('/api/llm/providers')).body;
    expect(list.map((p) => [p.name, p.isDefault])).toEqual([
      ['A', true],
      ['B', false],
    ]);
    await admin.delete(`/api/llm/providers/${a.body.id}`);
    await admin.delete(`/api/llm/providers/${b.body.id}`);
  });

  it('tests a provider (operator): ok with the key, a sentence with a wrong one, never the key in a log', async () => {
    const good = await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'Keyed',
      baseUrl: fake.baseUrl,
      model: 'gpt-fake',
      apiKey: API_KEY,
    });
    const wrong = await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'Wrong key',
      baseUrl: fake.baseUrl,
      model: 'gpt-fake',
      apiKey: 'sk-wrong-key-for-the-fake-000000',
    });
    fake.script('ok');
    const ok = await operator.post<LlmProviderTestResult>(
      `/api/llm/providers/${good.body.id}/test`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, model: 'gpt-fake-fake', ms: expect.any(Number) });
    expect(fake.chatRequests().at(-1)!.authorization).toBe(`Bearer ${API_KEY}`);

    const bad = await operator.post<LlmProviderTestResult>(
      `/api/llm/providers/${wrong.body.id}/test`,
    );
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.error).toMatch(/answered 401: Incorrect API key provided/);
    expect((await viewer.post(`/api/llm/providers/${good.body.id}/test`)).status).toBe(403);

    const log = await waitFor(
      async () => {
        const text = await readFile(join(logDir, 'server.log'), 'utf8').catch(() => '');
        return /connection test: gpt-fake-fake answered/.test(text) ? text : undefined;
      },
      10_000,
      'the test call in the server log',
    );
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain('sk-wrong-key-for-the-fake');
  });

  it('without a key sends no Authorization header', async () => {
    const open = await FakeLlm.start();
    try {
      const provider = await admin.post<LlmProvider>('/api/llm/providers', {
        name: 'Local',
        baseUrl: open.baseUrl,
        model: 'llama',
      });
      open.script('ok');
      const result = await operator.post<LlmProviderTestResult>(
        `/api/llm/providers/${provider.body.id}/test`,
      );
      expect(result.body.ok).toBe(true);
      expect(open.chatRequests()[0].authorization).toBeUndefined();
    } finally {
      await open.stop();
    }
  });
});
