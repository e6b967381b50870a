// The git plugin's commit and deploy against real Superset A: commit the seeded dashboard, change
// its title through Superset's API, commit again (the diff is that title), then deploy the first
// commit back and see the old title. The work tree is a local-only repository in a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { GitWorkTree } from '../../src/integrations/git/git-work-tree';
import { runCommit } from '../../src/plugins/git/git-commit';
import { runDeploy } from '../../src/plugins/git/git-deploy';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

describe('git: commit and deploy against a real Superset', () => {
  const a = instance('a');
  let base: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'taskdeck-git-tier-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('commits the seeded dashboard, sees a title change as a one-line diff, deploys it back', async () => {
    const logger = recordingLogger([], 'git');
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger });
    const client = clientFor(a.connection, logger.lines);
    const tree = new GitWorkTree({
      dir: join(base, 'dashboards'),
      branch: 'main',
      remoteUrl: '',
      author: { name: 'Taskdeck Tier', email: 'tier@example.com' },
      logger,
    });
    const id = a.seed.dashboardId;
    const original = (await client.dashboard(id)).dashboard_title;
    const commit = async (message: string) => {
      await tree.prepare();
      const workDir = await mkdtemp(join(base, 'work-'));
      return runCommit(
        {
          client,
          tree,
          environmentName: 'A',
          folder: 'A',
          dashboardIds: [id],
          message,
          username: 'tier',
          workDir,
        },
        context,
      );
    };

    const first = await commit('first');
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    const files = execFileSync('git', ['ls-files'], { cwd: tree.dir }).toString();
    expect(files).toMatch(/^A\/dashboards\/.+\.yaml$/m);
    expect(files).toMatch(/^A\/charts\/.+\.yaml$/m);
    expect(files).toMatch(/^A\/datasets\/.+\/.+\.yaml$/m);
    expect(files).toMatch(/^A\/databases\/.+\.yaml$/m);
    expect(files).not.toContain('metadata.yaml');

    // The same export again: nothing to commit (no timestamp or order changes).
    expect(await commit('again')).toEqual({ commit: null, filesChanged: 0 });

    const renamed = `${original} (renamed by the git tier)`;
    try {
      await client.updateDashboard(id, { dashboard_title: renamed });
      const second = await commit('renamed');
      expect(second.filesChanged).toBe(1);
      const numstat = execFileSync('git', ['show', '--format=', '--numstat', second.commit!], {
        cwd: tree.dir,
      })
        .toString()
        .trim();
      expect(numstat).toMatch(/^1\t1\tA\/dashboards\/.+\.yaml$/);
      const diff = execFileSync('git', ['show', '--format=', '-U0', second.commit!], {
        cwd: tree.dir,
      }).toString();
      expect(diff).toContain(`+dashboard_title: ${renamed}`);

      const workDir = await mkdtemp(join(base, 'deploy-'));
      const deployed = await runDeploy(
        {
          tree,
          source: () => Promise.resolve(client),
          target: client,
          sourceName: 'A',
          targetName: 'A',
          folder: 'A',
          ref: first.commit!,
          dashboardIds: [id],
          mappings: {},
          passwords: {},
          workDir,
        },
        context,
      );
      expect(deployed.commit).toBe(first.commit);
      expect((await client.dashboard(id)).dashboard_title).toBe(original);
    } finally {
      // Leave the seed as the other tier files expect it.
      if ((await client.dashboard(id)).dashboard_title !== original) {
        await client.updateDashboard(id, { dashboard_title: original });
      }
    }
    expect(logger.lines.filter((l) => l.level === 'ERROR')).toEqual([]);
  });
});
