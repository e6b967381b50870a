import type { GitRepository } from '@taskdeck/contracts';
import {
  EMPTY_REPOSITORY,
  createRepositoryRequest,
  gitActionLink,
  repositoryDraftOf,
  repositoryErrors,
  updateRepositoryRequest,
} from './repository-form';

const existing: GitRepository = {
  id: 'r1',
  name: 'dashboards',
  remoteUrl: 'https://git.example.com/team/dashboards.git',
  branch: 'main',
  authorName: 'Taskdeck',
  authorEmail: 'bot@example.com',
  hasToken: true,
};

describe('repository form', () => {
  it('names every problem of a draft', () => {
    expect(
      repositoryErrors({
        ...EMPTY_REPOSITORY,
        name: '../x',
        remoteUrl: 'https://me:pw@git.example.com/x.git',
        branch: '-f',
        authorName: ' ',
        authorEmail: 'nope',
      }),
    ).toEqual({
      name: 'Name must start with a letter or digit and hold only letters, digits, . _ -',
      remoteUrl: 'Remote must not hold credentials: put the token in the Token field',
      branch: 'Branch must be a valid git branch name',
      authorName: 'Author name is required',
      authorEmail: 'Author email must be an email address',
    });
    expect(repositoryErrors({ ...repositoryDraftOf(existing), remoteUrl: 'ssh://x' })).toEqual({
      remoteUrl: 'Remote must be empty, an https:// URL or a file:// path',
    });
    expect(repositoryErrors(repositoryDraftOf(existing))).toEqual({});
    expect(repositoryErrors({ ...repositoryDraftOf(existing), remoteUrl: '' })).toEqual({});
  });

  it('creates with a token only when one was typed', () => {
    const draft = { ...repositoryDraftOf(existing), name: ' new ' };
    expect(createRepositoryRequest(draft)).toEqual({
      name: 'new',
      remoteUrl: existing.remoteUrl,
      branch: 'main',
      authorName: 'Taskdeck',
      authorEmail: 'bot@example.com',
    });
    expect(createRepositoryRequest({ ...draft, token: 't' }).token).toBe('t');
  });

  it('updates only what changed; keeps, replaces or removes the token', () => {
    const draft = repositoryDraftOf(existing);
    expect(updateRepositoryRequest(existing, draft)).toEqual({});
    expect(updateRepositoryRequest(existing, { ...draft, branch: 'prod', token: 'x' })).toEqual({
      branch: 'prod',
      token: 'x',
    });
    expect(updateRepositoryRequest(existing, { ...draft, removeToken: true })).toEqual({
      token: '',
    });
  });

  it('links to the run form prefilled for an action', () => {
    expect(gitActionLink('commit', 'r1', 'e1')).toEqual({
      path: '/tasks/new',
      query: { plugin: 'git', action: 'commit', repositoryId: 'r1', environmentId: 'e1' },
    });
    expect(gitActionLink('push', 'r1').query).toEqual({
      plugin: 'git',
      action: 'push',
      repositoryId: 'r1',
    });
  });
});
