import { checkGitParams } from './git-params';

const repositoryId = '11111111-1111-4111-8111-111111111111';
const environmentId = '22222222-2222-4222-8222-222222222222';

describe('checkGitParams', () => {
  it('accepts each action with what it needs', () => {
    expect(checkGitParams({ action: 'commit', repositoryId, environmentId })).toEqual([]);
    expect(checkGitParams({ action: 'push', repositoryId })).toEqual([]);
    expect(checkGitParams({ action: 'pull', repositoryId, environmentId })).toEqual([]);
    expect(
      checkGitParams({
        action: 'deploy',
        repositoryId,
        environmentId,
        targetEnvironmentId: environmentId,
        ref: 'v1.0',
        passwords: {},
      }),
    ).toEqual([]);
  });

  it('names what an action lacks or does not take', () => {
    expect(checkGitParams({ action: 'commit', repositoryId, ref: 'main' })).toEqual([
      'params/environmentId is required for commit',
      'params/ref is not used by commit',
    ]);
    expect(checkGitParams({ action: 'deploy', repositoryId, message: 'x' })).toEqual([
      'params/environmentId is required for deploy',
      'params/targetEnvironmentId is required for deploy',
      'params/message is not used by deploy',
    ]);
    expect(checkGitParams({ action: 'push', repositoryId, dashboardIds: [1] })).toEqual([
      'params/dashboardIds is not used by push',
    ]);
    expect(
      checkGitParams({
        action: 'deploy',
        repositoryId,
        environmentId,
        targetEnvironmentId: environmentId,
        ref: '--output=x',
      }),
    ).toEqual(['params/ref must not start with "-"']);
  });
});
