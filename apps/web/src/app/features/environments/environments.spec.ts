import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Environment, Role } from '@taskdeck/contracts';
import { roleAtLeast } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { Environments } from './environments';

const prod: Environment = {
  id: 'e1',
  name: 'Prod',
  url: 'https://bi.example',
  username: 'taskdeck',
  provider: 'db',
  verifyTls: true,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

async function render(
  role: Role,
): Promise<{ page: HTMLElement; http: HttpTestingController; settle: () => Promise<void> }> {
  TestBed.configureTestingModule({
    imports: [Environments],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: Auth, useValue: { can: (min: Role) => roleAtLeast(role, min) } },
    ],
  });
  const fixture = TestBed.createComponent(Environments);
  const http = TestBed.inject(HttpTestingController);
  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  http.expectOne('/api/environments').flush([prod]);
  await settle();
  return { page: fixture.nativeElement as HTMLElement, http, settle };
}

const testIds = (page: HTMLElement): string[] =>
  [...page.querySelectorAll('[data-testid]')].map((e) => e.getAttribute('data-testid') ?? '');

describe('Environments page', () => {
  it('shows a viewer the list, read-only', async () => {
    const { page } = await render('viewer');
    expect(page.querySelector('[data-testid="env-row"]')?.textContent).toContain(
      'https://bi.example',
    );
    expect(testIds(page)).not.toEqual(expect.arrayContaining(['env-add']));
    expect(testIds(page).some((id) => ['env-edit', 'env-delete', 'env-test'].includes(id))).toBe(
      false,
    );
    expect(page.textContent).toContain('Only admins change this list.');
  });

  it('lets an admin test a connection and shows Superset’s sentence when it fails', async () => {
    const { page, http, settle } = await render('admin');
    expect(testIds(page)).toEqual(
      expect.arrayContaining(['env-add', 'env-edit', 'env-delete', 'env-test', 'env-git-commit']),
    );
    expect(page.querySelector('[data-testid="env-git-commit"]')?.getAttribute('href')).toBe(
      '/tasks/new?plugin=git&action=commit&environmentId=e1',
    );
    (page.querySelector('[data-testid="env-test"]') as HTMLButtonElement).click();
    await settle();
    http.expectOne({ method: 'POST', url: '/api/environments/e1/test' }).flush({
      ok: false,
      error: "Superset at https://bi.example refused the login for user 'taskdeck' (401)",
    });
    await settle();
    const result = page.querySelector('[data-testid="env-test-result"]');
    expect(result?.getAttribute('data-ok')).toBe('false');
    expect(result?.textContent).toContain("refused the login for user 'taskdeck' (401)");
  });
});
