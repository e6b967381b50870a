// The git plugin (CONTRACT.md "The plugins", `git`): dashboards as YAML in a repository. This
// class gathers what an action needs (the repository's work tree, clients, mappings, passwords),
// holds the repository's lock for the whole action, and hands over to git-commit.ts /
// git-deploy.ts; push and pull are the work tree's own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InjectDataSource } from '@nestjs/typeorm';
import type { GitCommitResult, GitDeployResult, GitRefResult } from '@taskdeck/contracts';
import { DataSource } from 'typeorm';
import { TaskPluginBase, TaskPluginDefinition, type TaskContext } from '../../plugin-api';
import { GitRepositoriesService } from '../../integrations/git/git-repositories.service';
import type { GitWorkTree } from '../../integrations/git/git-work-tree';
import { RepositoryLocks } from '../../integrations/git/repository-locks.service';
import { SecretsService } from '../../secrets/secrets.service';
import { EnvironmentsService } from '../../superset/environments.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { MigrationMappingsService } from '../migration/migration-mappings.service';
import { openSecretParam } from '../secret-params';
import { environmentFolder } from './export-layout';
import { runCommit } from './git-commit';
import { runDeploy } from './git-deploy';
import { checkGitParams, GIT_PARAMS_SCHEMA, type GitParams } from './git-params';

type GitResult = GitCommitResult | GitRefResult | GitDeployResult;

@TaskPluginDefinition({
  id: 'git',
  name: 'Git',
  description:
    'Keeps dashboards as YAML in a git repository: commit an environment’s dashboards, push and pull the branch, deploy it into an environment.',
  paramsSchema: GIT_PARAMS_SCHEMA,
  checkParams: checkGitParams,
})
export class GitPlugin extends TaskPluginBase<GitParams, GitResult> {
  constructor(
    private readonly repositories: GitRepositoriesService,
    private readonly locks: RepositoryLocks,
    private readonly superset: SupersetClients,
    private readonly environments: EnvironmentsService,
    private readonly mappings: MigrationMappingsService,
    private readonly secrets: SecretsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async execute(params: GitParams, context: TaskContext): Promise<GitResult> {
    const entity = await this.repositories.entity(params.repositoryId);
    const tree = await this.repositories.workTree(entity, {
      logger: context.logger,
      signal: context.signal,
    });
    context.logger.info(
      `${params.action} on repository "${entity.name}" (branch ${entity.branch}${entity.remoteUrl ? `, remote ${entity.remoteUrl}` : ', local only'})`,
    );
    return this.locks.withLock(
      entity.id,
      async () => {
        context.signal.throwIfAborted();
        await tree.prepare();
        switch (params.action) {
          case 'commit':
            return this.commit(params, tree, context);
          case 'push':
            return this.push(tree, context);
          case 'pull':
            return this.pull(tree, context);
          case 'deploy':
            return this.deploy(params, tree, context);
        }
      },
      {
        signal: context.signal,
        onWait: () =>
          context.logger.info(
            `another operation holds repository "${entity.name}": waiting for it to finish`,
          ),
      },
    );
  }

  private async commit(
    params: GitParams,
    tree: GitWorkTree,
    context: TaskContext,
  ): Promise<GitCommitResult> {
    const environmentId = params.environmentId!;
    const [environment, client, username] = await Promise.all([
      this.environments.get(environmentId),
      this.superset.forEnvironment(environmentId, options(context)),
      this.taskCreator(context.taskId),
    ]);
    return this.inWorkDir((workDir) =>
      runCommit(
        {
          client,
          tree,
          environmentName: environment.name,
          folder: environmentFolder(environment.name),
          dashboardIds: params.dashboardIds,
          message: params.message,
          username,
          workDir,
        },
        context,
      ),
    );
  }

  private async push(tree: GitWorkTree, context: TaskContext): Promise<GitRefResult> {
    const ref = await tree.push();
    context.logger.info(`pushed ${tree.branch} at ${ref.slice(0, 12)}`, { ref });
    return { ref, branch: tree.branch };
  }

  private async pull(tree: GitWorkTree, context: TaskContext): Promise<GitRefResult> {
    const { head, filesChanged, upToDate } = await tree.pull();
    context.logger.info(
      upToDate
        ? `${tree.branch} is up to date with the remote`
        : `pulled into ${tree.branch}: ${filesChanged} file(s) changed, now at ${head?.slice(0, 12)}`,
      { ref: head ?? null, filesChanged },
    );
    return { ref: head ?? '', branch: tree.branch };
  }

  private async deploy(
    params: GitParams,
    tree: GitWorkTree,
    context: TaskContext,
  ): Promise<GitDeployResult> {
    const sourceId = params.environmentId!;
    const targetId = params.targetEnvironmentId!;
    const [source, targetEnv, target, mappings] = await Promise.all([
      this.environments.get(sourceId),
      this.environments.get(targetId),
      this.superset.forEnvironment(targetId, options(context)),
      sourceId === targetId ? Promise.resolve({}) : this.mappings.stored(sourceId, targetId),
    ]);
    const passwords = Object.fromEntries(
      Object.entries(params.passwords ?? {}).map(([uuid, sealed]) => [
        uuid.toLowerCase(),
        openSecretParam(sealed, this.secrets),
      ]),
    );
    return this.inWorkDir((workDir) =>
      runDeploy(
        {
          tree,
          source: () => this.superset.forEnvironment(sourceId, options(context)),
          target,
          sourceName: source.name,
          targetName: targetEnv.name,
          folder: environmentFolder(source.name),
          ref: params.ref ?? tree.branch,
          dashboardIds: params.dashboardIds,
          mappings,
          passwords,
          workDir,
        },
        context,
      ),
    );
  }

  /** The username that created the task: the commit's co-author. */
  private async taskCreator(taskId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ created_by: string | null }[]>(
      'SELECT created_by FROM tasks WHERE id = $1',
      [taskId],
    );
    return rows[0]?.created_by ?? null;
  }

  private async inWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-git-'));
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function options(context: TaskContext) {
  return { logger: context.logger, signal: context.signal };
}
