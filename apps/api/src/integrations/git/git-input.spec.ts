import { branchNameProblem, remoteUrlProblem } from './git-input';

describe('git input', () => {
  it.each(['', 'https://git.example.com/team/dash.git', 'file:///srv/git/dash.git'])(
    'accepts the remote %p',
    (url) => expect(remoteUrlProblem(url)).toBeUndefined(),
  );

  it.each([
    ['https://user:tok@git.example.com/x.git', /credentials/],
    ['https://tok@git.example.com/x.git', /credentials/],
    ['http://git.example.com/x.git', /https:\/\//],
    ['ssh://git@example.com/x.git', /https:\/\//],
    ['ext::sh -c touch% /tmp/pwned', /https:\/\//],
    ['file://host/x', /local path/],
    ['--upload-pack=evil', /https:\/\//],
  ])('refuses the remote %p', (url, why) => expect(remoteUrlProblem(url)).toMatch(why));

  it.each(['main', 'release/2026', 'feature-x_1.2'])('accepts the branch %p', (b) =>
    expect(branchNameProblem(b)).toBeUndefined(),
  );

  it.each(['-f', '/main', 'main/', 'a..b', 'x.lock', 'a b', 'HEAD', 'a//b', '.hidden', 'x~1'])(
    'refuses the branch %p',
    (b) => expect(branchNameProblem(b)).toBeDefined(),
  );
});
