// One repository: where it pushes, Commit / Push / Pull / Deploy through the run form (prefilled),
// and the branch's last 20 commits with their message, author, date and files.
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  effect,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { GitCommitList, GitRepository } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { errorText } from '../../core/error-text';
import { GitClient } from '../../core/git-client';
import { gitActionLink } from './repository-form';

const ACTIONS = [
  { action: 'commit', label: 'Commit', hint: 'export an environment’s dashboards and commit them' },
  { action: 'push', label: 'Push', hint: 'send the branch to the remote' },
  { action: 'pull', label: 'Pull', hint: 'merge what colleagues pushed' },
  { action: 'deploy', label: 'Deploy', hint: 'import the branch’s dashboards into an environment' },
] as const;

@Component({
  selector: 'td-repository',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, RouterLink],
  templateUrl: './repository.html',
  styleUrl: './repository.scss',
})
export class Repository {
  private readonly client = inject(GitClient);
  protected readonly auth = inject(Auth);
  /** The route's `:id`. */
  readonly id = input.required<string>();

  protected readonly repository = signal<GitRepository | null>(null);
  protected readonly commits = signal<GitCommitList | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  protected readonly actions = computed(() =>
    ACTIONS.filter((a) => a.action === 'commit' || a.action === 'deploy' || this.hasRemote()).map(
      (a) => ({ ...a, link: gitActionLink(a.action, this.id()) }),
    ),
  );
  private readonly hasRemote = computed(() => !!this.repository()?.remoteUrl);

  constructor() {
    effect(() => void this.load(this.id()));
  }

  async load(id = this.id()): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const [repository, commits] = await Promise.all([
        this.client.get(id),
        this.client.commits(id),
      ]);
      this.repository.set(repository);
      this.commits.set(commits);
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected toggle(hash: string): void {
    this.expanded.update((set) => {
      const next = new Set(set);
      if (next.has(hash)) next.delete(hash);
      else next.add(hash);
      return next;
    });
  }

  protected subject(message: string): string {
    return message.split('\n')[0];
  }
}
