// The git plugin and the repositories API through the real app: a bare repository on disk as the
// remote (file://), two fake Supersets, real git. Commit, change a dashboard, commit again (the
// diff holds only that change); push and clone elsewhere; a conflicting push and pull reported
// and the work tree left clean; deploy a commit into another environment; and over HTTPS with a
// token, the token never in .git/config, the process list, a task log or the server log.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {
  Environment,
  GitCommitList,
  GitCommitResult,
  GitDeployResult,
  GitRefResult,
  GitRepository,
  LogEntry,
  Task,
} from '@taskdeck/contracts';
import { RepositoryLocks } from '../src/integrations/git/repository-locks.service';
import { FakeGitServer } from './fakes/git/fake-git-server';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import type { FakeDashboard } from './fakes/superset/fake-store';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

const run = promisify(execFile);

async function sleepThen<T>(ms: number, then: () => Promise<T>): Promise<T> {
  await new Promise((r) => setTimeout(r, ms));
  return then();
}
const TOKEN = 'glpat-SECRET-token-4711';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 'Colleague',
      GIT_AUTHOR_EMAIL: 'colleague@example.com',
      GIT_COMMITTER_NAME: 'Colleague',
      GIT_COMMITTER_EMAIL: 'colleague@example.com',
    },
  }).toString();
}

describe('git repositories and the git plugin', () => {
  let t: TestApp;
  let prod: FakeSuperset;
  let staging: FakeSuperset;
  let gitServer: FakeGitServer;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let base: string;
  let remote: string;
  let logDir: string;
  let sales: FakeDashboard;
  let ops: FakeDashboard;
  let databaseUuid: string;
  const env: Record<string, Environment> = {};
  let repo: GitRepository;
  let firstCommit: string;
  const taskIds: string[] = [];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'taskdeck-git-it-'));
    remote = join(base, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    gitServer = await FakeGitServer.start(TOKEN);
    prod = await FakeSuperset.start();
    staging = await FakeSuperset.start();
    const db = prod.store.addDatabase({ database_name: 'warehouse' });
    databaseUuid = db.uuid;
    const orders = prod.store.addDataset({
      database_id: db.id,
      table_name: 'orders',
      sql: 'SELECT * FROM orders WHERE amount > 0',
    });
    const charts = ['Revenue', 'Orders', 'Margin'].map((slice_name) =>
      prod.store.addChart({ datasource_id: orders.id, slice_name }),
    );
    sales = prod.store.addDashboard({
      dashboard_title: 'Sales',
      chart_ids: [charts[0].id, charts[1].id],
    });
    ops = prod.store.addDashboard({ dashboard_title: 'Ops', chart_ids: [charts[2].id] });
    logDir = await mkdtemp(join(tmpdir(), 'taskdeck-git-log-'));
    t = await startTestApp({
      env: { LOG_FILE: join(logDir, 'server.log'), GIT_SSL_CAINFO: gitServer.caFile },
    });
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    await admin.patch('/api/settings/logging', { level: 'DEBUG', taskLogLevel: 'DEBUG' });
    for (const [name, fake] of [
      ['prod', prod],
      ['staging', staging],
    ] as const) {
      const res = await admin.post<Environment>('/api/environments', {
        name,
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      });
      env[name] = res.body;
    }
  });
  afterAll(async () => {
    await t?.close();
    await prod?.stop();
    await staging?.stop();
    await gitServer?.stop();
  });

  const workTree = (name: string) => join(process.env.DATA_DIR!, 'storage', 'repositories', name);

  async function runGit(
    params: Record<string, unknown>,
    status: 'SUCCESS' | 'FAILED' = 'SUCCESS',
  ): Promise<{ task: Task; logs: LogEntry[] }> {
    const created = await startTask(operator, 'git', params);
    taskIds.push(created.id);
    const task = await waitForStatus(operator, created.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
    const logs = await readAllLogs(operator, created.id);
    if (task.status !== status) {
      throw new Error(`${task.status} (${task.error}): ${logs.map((l) => l.message).join('\n')}`);
    }
    return { task, logs };
  }

  describe('the API', () => {
    it('refuses bad input with a 400 and changes nothing', async () => {
      const good = { name: 'x', authorName: 'Bot', authorEmail: 'bot@example.com' };
      for (const [body, why] of [
        [{ ...good, name: '../etc' }, /name must start/],
        [{ ...good, name: '' }, /name/],
        [{ ...good, remoteUrl: 'https://me:pw@git.example.com/x.git' }, /credentials/],
        [{ ...good, remoteUrl: 'http://git.example.com/x.git' }, /https:\/\//],
        [{ ...good, remoteUrl: 'ext::sh -c id' }, /https:\/\//],
        [{ ...good, branch: '--force' }, /not a valid git branch/],
        [{ ...good, authorEmail: 'nope' }, /authorEmail/],
        [{ ...good, token: null }, /token must not be null/],
        [{ ...good, extra: 1 }, /should not exist/],
      ] as const) {
        const res = await admin.post<{ message: string[] }>('/api/git/repositories', body);
        expect(res.status).toBe(400);
        expect(res.body.message.join('; ')).toMatch(why);
      }
      expect((await admin.get<GitRepository[]>('/api/git/repositories')).body).toEqual([]);
    });

    it('lets admins write and everyone read; the token is never answered', async () => {
      const body = {
        name: 'dashboards',
        remoteUrl: `file://${remote}`,
        authorName: 'Taskdeck Bot',
        authorEmail: 'bot@example.com',
        token: TOKEN,
      };
      expect((await operator.post('/api/git/repositories', body)).status).toBe(403);
      const created = await admin.post<GitRepository>('/api/git/repositories', body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'dashboards',
        remoteUrl: `file://${remote}`,
        branch: 'main',
        authorName: 'Taskdeck Bot',
        authorEmail: 'bot@example.com',
        hasToken: true,
      });
      expect(JSON.stringify(created.body)).not.toContain(TOKEN);
      expect(
        (await admin.post('/api/git/repositories', { ...body, name: 'DASHBOARDS' })).status,
      ).toBe(409);
      const patched = await admin.patch<GitRepository>(`/api/git/repositories/${created.body.id}`, {
        token: '',
      });
      expect(patched.body.hasToken).toBe(false);
      expect((await operator.patch(`/api/git/repositories/${created.body.id}`, {})).status).toBe(
        403,
      );
      expect((await viewer.get<GitRepository[]>('/api/git/repositories')).body).toEqual([
        patched.body,
      ]);
      expect((await viewer.get('/api/git/repositories/not-a-uuid')).status).toBe(400);
      expect(
        (await viewer.get('/api/git/repositories/00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
      const commits = await viewer.get<GitCommitList>(
        `/api/git/repositories/${created.body.id}/commits`,
      );
      expect(commits.body).toEqual({ branch: 'main', workTree: false, items: [] });
      repo = patched.body;
    });

    it('refuses params an action does not take', async () => {
      for (const params of [
        { action: 'commit', repositoryId: repo.id },
        { action: 'deploy', repositoryId: repo.id, environmentId: env.prod.id },
        { action: 'push', repositoryId: repo.id, message: 'x' },
        {
          action: 'deploy',
          repositoryId: repo.id,
          environmentId: env.prod.id,
          targetEnvironmentId: env.staging.id,
          ref: '--all',
        },
        { action: 'merge', repositoryId: repo.id },
      ]) {
        const res = await operator.post('/api/tasks', { pluginId: 'git', params });
        expect(res.status).toBe(400);
      }
    });
  });

  describe('commit', () => {
    it('exports every dashboard into a stable layout and commits as the repository’s author', async () => {
      const { task, logs } = await runGit({
        action: 'commit',
        repositoryId: repo.id,
        environmentId: env.prod.id,
      });
      const created = task;
      const result = task.result as GitCommitResult;
      expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
      firstCommit = result.commit!;
      const dir = workTree('dashboards');
      const files = git(dir, 'ls-files').trim().split('\n');
      expect(files).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^prod\/dashboards\/Sales_\d+\.yaml$/),
          expect.stringMatching(/^prod\/dashboards\/Ops_\d+\.yaml$/),
          expect.stringMatching(/^prod\/charts\/Revenue_\d+\.yaml$/),
          expect.stringMatching(/^prod\/datasets\/warehouse\/orders_\d+\.yaml$/),
          'prod/databases/warehouse.yaml',
        ]),
      );
      expect(files.some((f) => f.endsWith('metadata.yaml'))).toBe(false);
      // The work tree is in storage, under repositories/<name>, its .git hidden from the list.
      const stored = await viewer.get<{ path: string }[]>(
        '/api/storage/files?category=repositories',
      );
      expect(stored.body.map((f) => f.path).sort()).toEqual(
        files.map((f) => `repositories/dashboards/${f}`).sort(),
      );
      expect(result.filesChanged).toBe(files.length);
      const database = await readFile(join(dir, 'prod/databases/warehouse.yaml'), 'utf8');
      expect(database).toContain('sqlalchemy_uri: postgresql://superset:XXXXXXXXXX@');
      // Keys sorted: `css` before `dashboard_title` before `uuid`.
      const dashboard = await readFile(
        join(
          dir,
          files.find((f) => f.includes('dashboards/Sales'))!,
        ),
        'utf8',
      );
      expect(dashboard.indexOf('css:')).toBeLessThan(dashboard.indexOf('dashboard_title:'));
      expect(dashboard.indexOf('dashboard_title:')).toBeLessThan(dashboard.indexOf('uuid:'));

      const message = git(dir, 'log', '-1', '--format=%B%x00%an <%ae>%x00%cn').split('\0');
      expect(message[0].trim()).toMatch(
        /^Update 2 dashboards from prod: Sales, Ops\n\nCo-authored-by: (\S+) <\1@users\.taskdeck\.invalid>$/,
      );
      expect(message[0]).toContain(`Co-authored-by: ${created.createdBy} <`);
      expect(message[1]).toBe('Taskdeck Bot <bot@example.com>');
      expect(message[2].trim()).toBe('Taskdeck Bot');

      // Each git operation: INFO with command, ref, files changed and duration.
      const gitLines = logs.filter((l) => l.source === 'git' && l.metadata?.command);
      expect(gitLines.length).toBeGreaterThanOrEqual(2);
      expect(gitLines.every((l) => l.level === 'INFO')).toBe(true);
      expect(gitLines.map((l) => l.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^git init main \(\d+ ms\)$/),
          expect.stringMatching(
            new RegExp(`^git commit main: ${files.length} file\\(s\\) changed \\(\\d+ ms\\)$`),
          ),
        ]),
      );
      const commitLine = gitLines.find((l) => l.message.startsWith('git commit'))!;
      expect(commitLine.metadata).toMatchObject({
        command: 'commit',
        ref: 'main',
        filesChanged: files.length,
        durationMs: expect.any(Number),
      });
      expect(logs.some((l) => l.source === 'superset_api')).toBe(true);
    });

    it('makes no empty commit when nothing changed, and says so at INFO', async () => {
      const { task, logs } = await runGit({
        action: 'commit',
        repositoryId: repo.id,
        environmentId: env.prod.id,
      });
      expect(task.result).toEqual({ commit: null, filesChanged: 0 });
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'INFO',
          message:
            'nothing changed in 2 dashboard(s) of "prod" since the last commit: no commit made',
        }),
      );
      expect(git(workTree('dashboards'), 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    });

    it('after a dashboard changes in Superset, the next commit’s diff holds only that change', async () => {
      sales.dashboard_title = 'Sales 2027';
      const { task } = await runGit({
        action: 'commit',
        repositoryId: repo.id,
        environmentId: env.prod.id,
        dashboardIds: [sales.id],
        message: 'Rename the sales dashboard',
      });
      const result = task.result as GitCommitResult;
      expect(result.filesChanged).toBe(1);
      const dir = workTree('dashboards');
      const numstat = git(dir, 'show', '--format=', '--numstat', result.commit!).trim();
      // The file keeps its name (the uuid's path), and one line changed.
      expect(numstat).toMatch(/^1\t1\tprod\/dashboards\/Sales_\d+\.yaml$/);
      const diff = git(dir, 'show', '--format=', '-U0', result.commit!);
      expect(diff).toContain('-dashboard_title: Sales\n+dashboard_title: Sales 2027\n');
      expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('Rename the sales dashboard');
    });

    it('shows the last commits with their files on the repository page route', async () => {
      const res = await viewer.get<GitCommitList>(`/api/git/repositories/${repo.id}/commits`);
      expect(res.status).toBe(200);
      expect(res.body.workTree).toBe(true);
      expect(res.body.items.map((c) => c.message.split('\n')[0])).toEqual([
        'Rename the sales dashboard',
        'Update 2 dashboards from prod: Sales, Ops',
      ]);
      expect(res.body.items[0]).toMatchObject({
        authorName: 'Taskdeck Bot',
        authorEmail: 'bot@example.com',
        filesChanged: 1,
        files: [expect.stringMatching(/^prod\/dashboards\/Sales_\d+\.yaml$/)],
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      });
    });
  });

  describe('push and pull', () => {
    let clone: string;

    it('pushes the branch; a clone elsewhere finds the files', async () => {
      const { task, logs } = await runGit({ action: 'push', repositoryId: repo.id });
      const head = git(workTree('dashboards'), 'rev-parse', 'HEAD').trim();
      expect(task.result).toEqual({ ref: head, branch: 'main' } satisfies GitRefResult);
      expect(logs.map((l) => l.message)).toContainEqual(
        expect.stringMatching(/^git push origin\/main \(\d+ ms\)$/),
      );
      clone = join(base, 'clone');
      git(base, 'clone', '--quiet', `file://${remote}`, clone);
      expect(await readdir(join(clone, 'prod'))).toEqual(
        expect.arrayContaining(['charts', 'dashboards', 'databases', 'datasets']),
      );
      expect(git(clone, 'rev-parse', 'HEAD').trim()).toBe(head);
    });

    it('a push the remote would lose commits for is rejected and reported, never forced', async () => {
      const file = git(clone, 'ls-files', 'prod/dashboards')
        .split('\n')
        .find((f) => f.includes('Sales'))!;
      const text = await readFile(join(clone, file), 'utf8');
      // A colleague renames the same dashboard another way.
      await writeFile(
        join(clone, file),
        text.replace('dashboard_title: Sales 2027', 'dashboard_title: Sales (team)'),
      );
      git(clone, 'commit', '--quiet', '-am', 'Rename sales for the team');
      git(clone, 'push', '--quiet', 'origin', 'main');
      const theirs = git(clone, 'rev-parse', 'HEAD').trim();

      sales.dashboard_title = 'Sales 2028';
      await runGit({
        action: 'commit',
        repositoryId: repo.id,
        environmentId: env.prod.id,
        dashboardIds: [sales.id],
      });
      const { task, logs } = await runGit({ action: 'push', repositoryId: repo.id }, 'FAILED');
      expect(task.error).toMatch(
        /^push rejected: origin\/main has commits this work tree lacks \(pull first, then push again\); nothing was forced/,
      );
      expect(
        logs
          .filter((l) => l.level === 'ERROR')
          .map((l) => l.message)
          .join(),
      ).toContain('push rejected');
      expect(git(base, '--git-dir', remote, 'rev-parse', 'main').trim()).toBe(theirs);
    });

    it('a pull that conflicts fails naming the files, the merge aborted and the work tree clean', async () => {
      // Theirs and ours changed the same line of the same dashboard file.
      const dir = workTree('dashboards');
      const before = git(dir, 'rev-parse', 'HEAD').trim();
      const file = git(dir, 'ls-files', 'prod/dashboards')
        .split('\n')
        .find((f) => f.includes('Sales'))!;
      const { task } = await runGit({ action: 'pull', repositoryId: repo.id }, 'FAILED');
      expect(task.error).toContain(`conflicts in 1 file(s): ${file}`);
      expect(task.error).toContain('the merge was aborted');
      expect(git(dir, 'status', '--porcelain')).toBe('');
      expect(existsSync(join(dir, '.git', 'MERGE_HEAD'))).toBe(false);
      expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(before);
    });
  });

  describe('deploy', () => {
    it('imports a commit’s dashboards into another environment, with overwrite', async () => {
      const { task, logs } = await runGit({
        action: 'deploy',
        repositoryId: repo.id,
        environmentId: env.prod.id,
        targetEnvironmentId: env.staging.id,
        ref: firstCommit,
        passwords: { [databaseUuid]: 'staging-db-password' },
      });
      const result = task.result as GitDeployResult;
      expect(result.commit).toBe(firstCommit);
      expect(result.dashboards.map((d) => d.title).sort()).toEqual(['Ops', 'Sales']);
      const titles = [...staging.store.dashboards.values()].map((d) => d.dashboard_title).sort();
      expect(titles).toEqual(['Ops', 'Sales']);
      expect(staging.store.findByUuid(staging.store.databases, databaseUuid)?.password).toBe(
        'staging-db-password',
      );
      expect(logs.map((l) => l.message)).toContain('imported 2 dashboard(s) into "staging"');
      expect(JSON.stringify(task.params)).not.toContain('staging-db-password');
    });

    it('deploys the branch’s newest state of one dashboard back over an older one', async () => {
      const { task } = await runGit({
        action: 'deploy',
        repositoryId: repo.id,
        environmentId: env.prod.id,
        targetEnvironmentId: env.staging.id,
        dashboardIds: [sales.id],
      });
      expect((task.result as GitDeployResult).dashboards).toEqual([
        { uuid: sales.uuid, title: 'Sales 2028' },
      ]);
      const deployed = staging.store.findByUuid(staging.store.dashboards, sales.uuid);
      expect(deployed?.dashboard_title).toBe('Sales 2028');
      expect(staging.store.findByUuid(staging.store.dashboards, ops.uuid)?.dashboard_title).toBe(
        'Ops',
      );
    });
  });

  describe('an https remote with a token', () => {
    it('never shows the token in .git/config, the process list, a log or the server log', async () => {
      const created = await admin.post<GitRepository>('/api/git/repositories', {
        name: 'hosted',
        remoteUrl: `${gitServer.url}/dashboards.git`,
        authorName: 'Taskdeck Bot',
        authorEmail: 'bot@example.com',
        token: TOKEN,
      });
      expect(created.status).toBe(201);
      const hosted = created.body;
      const probe = `/api/git/repositories/${hosted.id}/test`;
      expect((await viewer.post(probe)).status).toBe(403);
      expect((await operator.post(probe)).body).toEqual({ ok: true, branchExists: false });
      await runGit({ action: 'commit', repositoryId: hosted.id, environmentId: env.prod.id });

      const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
      const seen: string[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const { stdout } = await run('ps', ['-eww', '-o', 'args=']);
          seen.push(...stdout.split('\n').filter((l) => l.includes('git')));
        }
      })();
      const { logs } = await runGit({ action: 'push', repositoryId: hosted.id });
      watching = false;
      await watcher;
      expect(seen.some((l) => /git[ -].*(push|send-pack|remote-https)/.test(l))).toBe(true);
      expect(seen.filter((l) => l.includes(TOKEN) || l.includes(basic))).toEqual([]);
      expect(gitServer.authorizations).toContain(`Basic ${basic}`);
      expect(
        execFileSync('git', [
          '--git-dir',
          join(gitServer.root, 'dashboards.git'),
          'log',
          '--oneline',
        ]).toString(),
      ).toContain('Update 2 dashboards from prod');

      const dir = workTree('hosted');
      const config = await readFile(join(dir, '.git', 'config'), 'utf8');
      expect(config).toContain(`url = ${gitServer.url}/dashboards.git`);
      expect(config).not.toContain(TOKEN);
      expect(config).not.toContain(basic);

      // A pull and the remote test go through the same header.
      await runGit({ action: 'pull', repositoryId: hosted.id });
      expect((await operator.post(probe)).body).toEqual({ ok: true, branchExists: true });

      const everything = [JSON.stringify(logs)];
      for (const id of taskIds) everything.push(JSON.stringify(await readAllLogs(operator, id)));
      everything.push(JSON.stringify((await admin.get('/api/git/repositories')).body));
      everything.push(await readFile(join(logDir, 'server.log'), 'utf8').catch(() => ''));
      for (const text of everything) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(basic);
      }
    });

    it('a wrong token fails the task with git’s reason, and no prompt waits for a password', async () => {
      const hosted = (await admin.get<GitRepository[]>('/api/git/repositories')).body.find(
        (r) => r.name === 'hosted',
      )!;
      await admin.patch(`/api/git/repositories/${hosted.id}`, { token: 'wrong' });
      const probe = await operator.post<{ ok: boolean; error: string }>(
        `/api/git/repositories/${hosted.id}/test`,
      );
      expect(probe.status).toBe(200);
      expect(probe.body.ok).toBe(false);
      expect(probe.body.error).toMatch(/^git ls-remote failed: /);
      expect(probe.body.error).not.toContain('wrong');
      const { task } = await runGit({ action: 'pull', repositoryId: hosted.id }, 'FAILED');
      expect(task.error).toMatch(
        /^git fetch failed: .*(Authentication failed|could not read Username|terminal prompts disabled)/,
      );
    });
  });

  it('serialises operations on one repository across connections (advisory lock), not on two', async () => {
    const locks = new RepositoryLocks(t.dataSource);
    const events: string[] = [];
    const hold = (id: string, name: string, ms: number) =>
      locks.withLock(
        id,
        async () => {
          events.push(`${name} start`);
          await new Promise((r) => setTimeout(r, ms));
          events.push(`${name} end`);
        },
        { onWait: () => events.push(`${name} waits`) },
      );
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    await Promise.all([hold(a, 'first', 400), sleepThen(50, () => hold(a, 'second', 10))]);
    expect(events).toEqual([
      'first start',
      'second waits',
      'first end',
      'second start',
      'second end',
    ]);
    events.length = 0;
    await Promise.all([hold(a, 'one', 300), sleepThen(50, () => hold(b, 'other', 10))]);
    expect(events).toEqual(['one start', 'other start', 'other end', 'one end']);
  });

  it('renaming a repository moves its work tree with it', async () => {
    const before = (await viewer.get<GitCommitList>(`/api/git/repositories/${repo.id}/commits`))
      .body.items;
    const res = await admin.patch<GitRepository>(`/api/git/repositories/${repo.id}`, {
      name: 'renamed',
    });
    expect(res.body.name).toBe('renamed');
    expect(existsSync(join(workTree('renamed'), '.git'))).toBe(true);
    expect(existsSync(workTree('dashboards'))).toBe(false);
    const after = await viewer.get<GitCommitList>(`/api/git/repositories/${repo.id}/commits`);
    expect(after.body.items).toEqual(before);
  });

  it('deleting a repository removes its work tree', async () => {
    const hosted = (await admin.get<GitRepository[]>('/api/git/repositories')).body.find(
      (r) => r.name === 'hosted',
    )!;
    expect(existsSync(workTree('hosted'))).toBe(true);
    expect((await operator.delete(`/api/git/repositories/${hosted.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/git/repositories/${hosted.id}`)).status).toBe(204);
    expect(existsSync(workTree('hosted'))).toBe(false);
    expect((await admin.get(`/api/git/repositories/${hosted.id}`)).status).toBe(404);
  });
});
