import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { GitCommitList, GitRepository, Role } from '@taskdeck/contracts';
import { roleAtLeast } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { Repository } from './repository';

const repo: GitRepository = {
  id: 'r1',
  name: 'dashboards',
  remoteUrl: 'https://git.example.com/team/dashboards.git',
  branch: 'main',
  authorName: 'Taskdeck',
  authorEmail: 'bot@example.com',
  hasToken: true,
};

const commits: GitCommitList = {
  branch: 'main',
  workTree: true,
  items: [
    {
      hash: 'a'.repeat(40),
      message:
        'Update 1 dashboard from prod: Sales\n\nCo-authored-by: op <op@users.taskdeck.invalid>',
      authorName: 'Taskdeck',
      authorEmail: 'bot@example.com',
      date: '2026-12-01T10:00:00.000Z',
      filesChanged: 2,
      files: ['prod/dashboards/Sales_1.yaml', 'prod/charts/Revenue_2.yaml'],
    },
  ],
};

async function render(role: Role) {
  TestBed.configureTestingModule({
    imports: [Repository],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Auth, useValue: { can: (min: Role) => roleAtLeast(role, min) } },
    ],
  });
  const fixture = TestBed.createComponent(Repository);
  fixture.componentRef.setInput('id', 'r1');
  const http = TestBed.inject(HttpTestingController);
  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  fixture.detectChanges();
  http.expectOne('/api/git/repositories/r1').flush(repo);
  http.expectOne('/api/git/repositories/r1/commits').flush(commits);
  await settle();
  await settle();
  return { page: fixture.nativeElement as HTMLElement, settle };
}

describe('Repository page', () => {
  it('shows the last commits with message, author, date and files', async () => {
    const { page, settle } = await render('viewer');
    const row = page.querySelector('[data-testid="commit-row"]');
    expect(row?.textContent).toContain('Update 1 dashboard from prod: Sales');
    expect(row?.textContent).not.toContain('Co-authored-by');
    expect(row?.textContent).toContain('Taskdeck');
    expect(row?.textContent).toContain('2026-12-01');
    expect(row?.textContent).toContain('2 files');
    expect(row?.textContent).toContain('aaaaaaaaaaaa');
    (page.querySelector('[data-testid="commit-files"]') as HTMLButtonElement).click();
    await settle();
    expect(page.textContent).toContain('prod/charts/Revenue_2.yaml');
    expect(page.querySelector('[data-testid="repo-commit"]')).toBeNull();
  });

  it('offers operators the four actions through the run form', async () => {
    const { page } = await render('operator');
    const links = ['commit', 'push', 'pull', 'deploy'].map((a) =>
      page.querySelector(`[data-testid="repo-${a}"]`)?.getAttribute('href'),
    );
    expect(links).toEqual([
      '/tasks/new?plugin=git&action=commit&repositoryId=r1',
      '/tasks/new?plugin=git&action=push&repositoryId=r1',
      '/tasks/new?plugin=git&action=pull&repositoryId=r1',
      '/tasks/new?plugin=git&action=deploy&repositoryId=r1',
    ]);
  });
});
