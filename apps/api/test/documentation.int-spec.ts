// The documentation plugin through the real app: a fake Superset's dataset (its rows readable
// through the fake's SQL Lab) and a fake OpenAI-compatible LLM. Also where the LLM client's
// behaviour is proven end to end: JSON asked with a schema, a bad answer retried once quoting the
// error, 429 and 5xx retried (Retry-After honoured) and logged, and the API key in no log.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DocumentationResult,
  Environment,
  LlmProvider,
  LogEntry,
  Task,
} from '@taskdeck/contracts';
import { FakeLlm, promptText, type FakeChatBody } from './fakes/llm/fake-llm';
import { FakeSuperset, FAKE_ADMIN, type FakeDataset } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

const API_KEY = 'sk-documentation-test-key-9f8e7d6c5b4a';

/** The answer a model gives for the orders dataset. */
function ordersAnswer(body: FakeChatBody): string {
  const asked = [...promptText(body).matchAll(/^- ([a-z_]+):/gm)].map((m) => m[1]);
  const text: Record<string, string> = {
    id: 'Bestellnummer',
    amount: 'Betrag in EUR',
    status: 'Bearbeitungsstand der Bestellung',
    ordered_at: 'Zeitpunkt der Bestellung',
    doubled: 'Doppelter Betrag',
  };
  return JSON.stringify({
    description: 'Eine Zeile je Bestellung.',
    columns: asked.map((column) => ({ column, description: text[column] ?? `Spalte ${column}` })),
  });
}

describe('documentation', () => {
  let t: TestApp;
  let fake: FakeSuperset;
  let llm: FakeLlm;
  let admin: ApiClient;
  let operator: ApiClient;
  let environment: Environment;
  let provider: LlmProvider;
  let dataset: FakeDataset;
  let logDir: string;

  const seedDataset = (): FakeDataset =>
    fake.store.addDataset({
      database_id: [...fake.store.databases.values()][0].id,
      table_name: 'orders',
      schema: 'sales',
      columns: [
        { column_name: 'id', type: 'INTEGER' },
        { column_name: 'amount', type: 'NUMERIC', description: 'Total in EUR, tax included' },
        { column_name: 'status', type: 'VARCHAR' },
        { column_name: 'ordered_at', type: 'TIMESTAMP', is_dttm: true },
        { column_name: 'doubled', expression: 'amount * 2' },
      ],
      metrics: [
        { metric_name: 'count', expression: 'COUNT(*)', description: 'Rows' },
        { metric_name: 'revenue', expression: 'SUM(amount)' },
      ],
    });

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    fake.store.addDatabase({
      database_name: 'warehouse',
      tables: {
        'sales.orders': [
          { id: 1, amount: 10.5, status: 'shipped', ordered_at: '2026-11-01T10:00:00' },
          { id: 2, amount: 99, status: 'cancelled', ordered_at: '2026-11-02T11:00:00' },
          { id: 3, amount: 12, status: 'shipped', ordered_at: null },
        ],
      },
    });
    llm = await FakeLlm.start({ apiKey: API_KEY });
    logDir = await mkdtemp(join(tmpdir(), 'taskdeck-doc-log-'));
    t = await startTestApp({ env: { LOG_FILE: join(logDir, 'server.log') } });
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG', level: 'DEBUG' });
    environment = (
      await admin.post<Environment>('/api/environments', {
        name: 'BI',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
    provider = (
      await admin.post<LlmProvider>('/api/llm/providers', {
        name: 'Fake LLM',
        baseUrl: llm.baseUrl,
        model: 'gpt-fake',
        apiKey: API_KEY,
        isDefault: true,
      })
    ).body;
  });
  beforeEach(() => {
    llm.reset();
    llm.defaultAnswer = ordersAnswer;
    dataset = seedDataset();
    fake.resetStats();
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await llm?.stop();
  });

  async function document(params: Record<string, unknown>): Promise<{
    task: Task;
    result: DocumentationResult & { rawAnswer?: string };
    logs: LogEntry[];
  }> {
    const task = await startTask(operator, 'documentation', {
      environmentId: environment.id,
      datasetId: dataset.id,
      ...params,
    });
    const done = await waitForStatus(operator, task.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
    return {
      task: done,
      result: done.result as DocumentationResult & { rawAnswer?: string },
      logs: await readAllLogs(operator, task.id),
    };
  }

  const stored = () => fake.store.datasets.get(dataset.id)!;
  const column = (name: string) => stored().columns.find((c) => c.column_name === name)!;
  const puts = () =>
    fake.requests.filter((r) => r.method === 'PUT' && r.path === `/api/v1/dataset/${dataset.id}`);

  it('dry run: reads samples through SQL Lab, asks in the language with a schema, reports old → new, writes nothing', async () => {
    const { task, result, logs } = await document({ dryRun: true, language: 'Deutsch' });
    expect(task.status).toBe('SUCCESS');
    expect(result).toMatchObject({
      description: 'Eine Zeile je Bestellung.',
      previousDescription: null,
      descriptionChanged: true,
      written: false,
      dryRun: true,
      language: 'Deutsch',
      samples: { read: true },
    });
    expect(result.columns).toEqual([
      { column: 'id', description: 'Bestellnummer', previousDescription: null, changed: true },
      {
        column: 'amount',
        description: 'Total in EUR, tax included',
        previousDescription: 'Total in EUR, tax included',
        changed: false,
      },
      {
        column: 'status',
        description: 'Bearbeitungsstand der Bestellung',
        previousDescription: null,
        changed: true,
      },
      {
        column: 'ordered_at',
        description: 'Zeitpunkt der Bestellung',
        previousDescription: null,
        changed: true,
      },
      {
        column: 'doubled',
        description: 'Doppelter Betrag',
        previousDescription: null,
        changed: true,
      },
    ]);
    expect(puts()).toHaveLength(0);
    expect(column('id').description).toBeNull();

    const [request] = llm.chatRequests();
    expect(request.body.model).toBe('gpt-fake');
    expect(request.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'dataset_documentation' },
    });
    const prompt = promptText(request.body);
    expect(prompt).toMatch(/Write every description in Deutsch/);
    expect(prompt).toMatch(/- status: type VARCHAR; sample values: "shipped", "cancelled"/);
    expect(prompt).toMatch(/- doubled: type unknown; calculated as amount \* 2/);
    // amount has a description and overwrite is off: not asked about.
    expect(prompt).not.toMatch(/^- amount:/m);
    const sqllab = fake.requests.filter((r) => r.path === '/api/v1/sqllab/execute/');
    expect(sqllab).toHaveLength(1);
    expect(sqllab[0].csrfHeader).toBe(true);

    const llmLines = logs.filter((l) => l.source === 'llm');
    expect(
      llmLines.some(
        (l) =>
          l.level === 'INFO' &&
          /dataset documentation: gpt-fake-fake answered in \d+ ms \(\d+ tokens in, \d+ out\)/.test(
            l.message,
          ) &&
          ((l.metadata as { tokensIn?: number } | null)?.tokensIn ?? 0) > 0,
      ),
    ).toBe(true);
    expect(llmLines.some((l) => l.level === 'DEBUG' && /Columns to describe/.test(l.message))).toBe(
      true,
    );
    expect(logs.some((l) => l.source === 'superset_api')).toBe(true);
    expect(
      logs.some(
        (l) => l.source === 'documentation' && /id: \(none\) → "Bestellnummer"/.test(l.message),
      ),
    ).toBe(true);
  });

  it('writes descriptions with the full-list PUT; described columns, metrics and other fields untouched', async () => {
    const before = structuredClone(stored());
    const { task, result } = await document({});
    expect(task.status).toBe('SUCCESS');
    expect(result.written).toBe(true);
    expect(puts()).toHaveLength(1);
    const after = stored();
    expect(after.description).toBe('Eine Zeile je Bestellung.');
    expect(column('id').description).toBe('Bestellnummer');
    expect(column('status').description).toBe('Bearbeitungsstand der Bestellung');
    expect(column('amount')).toEqual(before.columns.find((c) => c.column_name === 'amount'));
    expect(after.columns.map((c) => c.column_name)).toEqual(
      before.columns.map((c) => c.column_name),
    );
    expect(after.columns.map(({ description: _d, ...c }) => c)).toEqual(
      before.columns.map(({ description: _d, ...c }) => c),
    );
    expect(after.metrics).toEqual(before.metrics);
    expect(after.table_name).toBe(before.table_name);
    expect(after.sql).toBe(before.sql);
  });

  it('overwrite replaces existing descriptions; without it a second run changes nothing', async () => {
    await document({});
    llm.reset();
    fake.resetStats();
    llm.defaultAnswer = ordersAnswer;
    const again = await document({});
    expect(again.task.status).toBe('SUCCESS');
    expect(again.result.written).toBe(false);
    expect(llm.chatRequests()).toHaveLength(0);
    expect(puts()).toHaveLength(0);

    const over = await document({ overwrite: true });
    expect(over.result.written).toBe(true);
    expect(column('amount').description).toBe('Betrag in EUR');
  });

  it('says why it reads no samples when the database is not exposed in SQL Lab', async () => {
    const db = fake.store.addDatabase({ database_name: 'hidden', expose_in_sqllab: false });
    dataset = fake.store.addDataset({ database_id: db.id, table_name: 'secret_table' });
    fake.resetStats();
    const { task, result, logs } = await document({ dryRun: true });
    expect(task.status).toBe('SUCCESS');
    expect(result.samples).toEqual({
      read: false,
      reason: 'database "hidden" is not exposed in SQL Lab',
    });
    expect(fake.requests.some((r) => r.path === '/api/v1/sqllab/execute/')).toBe(false);
    expect(logs.some((l) => /no sample values: database "hidden"/.test(l.message))).toBe(true);
  });

  it('a sample query Superset refuses is a WARNING, and the run goes on without samples', async () => {
    const db = [...fake.store.databases.values()][0];
    dataset = fake.store.addDataset({ database_id: db.id, table_name: 'missing_table' });
    const { task, result, logs } = await document({ dryRun: true });
    expect(task.status).toBe('SUCCESS');
    expect(result.samples.read).toBe(false);
    expect(result.samples.reason).toMatch(/SQL Lab refused the sample query: .*does not exist/);
    expect(logs.some((l) => l.level === 'WARNING' && /no sample values/.test(l.message))).toBe(
      true,
    );
  });

  it('retries 429 (honouring Retry-After) and 5xx, logging each retry at WARNING', async () => {
    llm.failNext({ status: 429, retryAfter: 1 });
    llm.failNext({ status: 503 });
    const started = Date.now();
    const { task, logs } = await document({ dryRun: true });
    expect(task.status).toBe('SUCCESS');
    const tries = llm.chatRequests();
    expect(tries.map((r) => r.status)).toEqual([429, 503, 200]);
    // Retry-After: 1 → the second try came at least a second after the first.
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const retries = logs.filter((l) => l.source === 'llm' && l.level === 'WARNING');
    expect(retries.map((l) => l.message)).toEqual([
      expect.stringMatching(/answered 429; try 1 of 3, trying again in 1000 ms \(Retry-After\)/),
      expect.stringMatching(/answered 503; try 2 of 3, trying again after a back-off/),
    ]);
  });

  it('fails after three tries of 5xx, with a sentence naming the provider', async () => {
    llm.failNext({ status: 500, times: 3 });
    const { task } = await document({ dryRun: true });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatch(/LLM provider "Fake LLM" .* answered 500/);
    expect(llm.chatRequests()).toHaveLength(3);
  });

  it('asks again once, quoting the error, when an answer is not valid JSON for the schema', async () => {
    llm.script('Sure! Here are your descriptions: id is the order number.');
    const { task, result, logs } = await document({ dryRun: true });
    expect(task.status).toBe('SUCCESS');
    expect(result.columns.find((c) => c.column === 'id')!.description).toBe('Bestellnummer');
    const [first, second] = llm.chatRequests();
    expect(first.body.messages).toHaveLength(2);
    const retry = second.body.messages!;
    expect(retry).toHaveLength(4);
    expect(retry[2]).toEqual({
      role: 'assistant',
      content: 'Sure! Here are your descriptions: id is the order number.',
    });
    expect(retry[3].content).toMatch(/That answer is not valid: it is not JSON/);
    expect(
      logs.some(
        (l) =>
          l.level === 'WARNING' && /the answer is not valid .*asking once more/.test(l.message),
      ),
    ).toBe(true);
  });

  it('fails with the raw answer in the result when the second answer is not valid either', async () => {
    llm.script({ description: 'ok' }, { description: 42, columns: 'none' });
    const { task, result } = await document({ dryRun: true });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatch(/answered twice with no valid JSON .*does not match the schema/);
    expect(result.rawAnswer).toBe(JSON.stringify({ description: 42, columns: 'none' }));
    expect(puts()).toHaveLength(0);
  });

  it('falls back to a JSON object response format where the provider refuses schemas', async () => {
    const plain = await FakeLlm.start({ refuseJsonSchema: true });
    try {
      plain.defaultAnswer = ordersAnswer;
      const local = await admin.post<LlmProvider>('/api/llm/providers', {
        name: 'Local',
        baseUrl: plain.baseUrl,
        model: 'llama',
      });
      const { task, logs } = await document({ dryRun: true, providerId: local.body.id });
      expect(task.status).toBe('SUCCESS');
      expect(plain.chatRequests().map((r) => r.body.response_format?.type)).toEqual([
        'json_schema',
        'json_object',
      ]);
      expect(logs.some((l) => /refuses JSON schemas/.test(l.message))).toBe(true);
    } finally {
      await plain.stop();
    }
  });

  it('an unknown provider fails the task with a sentence', async () => {
    const { task } = await document({ providerId: '00000000-0000-4000-8000-000000000000' });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatch(/LLM provider .* not found/);
  });

  it('never writes the API key to the task log or the server log', async () => {
    const { logs } = await document({ dryRun: true });
    expect(llm.chatRequests()[0].authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
    const server = await readFile(join(logDir, 'server.log'), 'utf8').catch(() => '');
    expect(server).not.toContain(API_KEY);
    expect(server.length).toBeGreaterThan(0);
    expect(JSON.stringify((await admin.get('/api/llm/providers')).body)).not.toContain(API_KEY);
    expect(provider.hasApiKey).toBe(true);
  });
});
