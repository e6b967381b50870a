import { GIT_ACTIONS, type GitAction, type JsonSchema } from '@taskdeck/contracts';

export interface GitParams {
  action: GitAction;
  repositoryId: string;
  /** commit: the environment exported; deploy: the environment folder deployed from. */
  environmentId?: string;
  /** Absent: every dashboard (commit: of the environment; deploy: of its folder). */
  dashboardIds?: number[];
  message?: string;
  targetEnvironmentId?: string;
  /** deploy: the commit, tag or branch to deploy (default: the repository's branch). */
  ref?: string;
  /** deploy: database uuid → password, for databases new to the target (sealed when stored). */
  passwords?: Record<string, string>;
}

export const GIT_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'repositoryId'],
  properties: {
    action: {
      type: 'string',
      enum: [...GIT_ACTIONS],
      title: 'Action',
      description:
        'commit: export dashboards into the work tree and commit; push / pull: to and from the remote branch; deploy: import the branch’s dashboards into an environment',
    },
    repositoryId: {
      type: 'string',
      format: 'uuid',
      title: 'Repository',
      'x-taskdeck-ref': { kind: 'repository' },
    },
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'commit: the environment to export; deploy: the environment folder to deploy',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    dashboardIds: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      maxItems: 1000,
      title: 'Dashboards',
      description: 'dashboards of that environment; none chosen: all of them',
      'x-taskdeck-ref': { kind: 'dashboard', environmentField: 'environmentId' },
    },
    message: {
      type: 'string',
      minLength: 1,
      maxLength: 10_000,
      title: 'Commit message',
      description: 'commit: default "Update N dashboards from <environment>: <titles>"',
    },
    targetEnvironmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Target environment',
      description: 'deploy: the environment the dashboards are imported into (overwriting)',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    ref: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[A-Za-z0-9._/~^-]+$',
      title: 'Ref',
      description: 'deploy: a commit, tag or branch (default: the repository’s branch)',
    },
    passwords: {
      type: 'object',
      propertyNames: { format: 'uuid' },
      additionalProperties: { type: 'string', maxLength: 1024 },
      writeOnly: true,
      title: 'Database passwords',
      description:
        'deploy: database uuid → password, for databases the import creates on the target (stored encrypted)',
    },
  },
};

/** What the schema cannot say: which fields each action needs. */
export function checkGitParams(params: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const action = params.action as GitAction;
  const need = (field: string, why: string) => {
    if (params[field] === undefined) problems.push(`params/${field} is required ${why}`);
  };
  const refuse = (field: string) => {
    if (params[field] !== undefined) problems.push(`params/${field} is not used by ${action}`);
  };
  if (action === 'commit' || action === 'deploy') need('environmentId', `for ${action}`);
  if (action === 'deploy') need('targetEnvironmentId', 'for deploy');
  if (action !== 'commit') refuse('message');
  if (action !== 'deploy') {
    refuse('targetEnvironmentId');
    refuse('ref');
    refuse('passwords');
  }
  if (action === 'push' || action === 'pull') refuse('dashboardIds');
  if (typeof params.ref === 'string' && params.ref.startsWith('-')) {
    problems.push('params/ref must not start with "-"');
  }
  return problems;
}
