// Git repositories: everyone sees the list; operators test a remote; admins add, edit and delete.
// Tokens are write-only: the page shows only whether one is set. A row opens the repository page.
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import type { GitRemoteTestResult, GitRepository } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { GitClient } from '../../core/git-client';
import { EditableList } from '../../shared/editable-list/editable-list';
import {
  EMPTY_REPOSITORY,
  createRepositoryRequest,
  repositoryDraftOf,
  repositoryErrors,
  updateRepositoryRequest,
  type RepositoryDraft,
} from './repository-form';

@Component({
  selector: 'td-repositories',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink],
  templateUrl: './repositories.html',
  styleUrl: '../environments/environments.scss',
})
export class Repositories {
  private readonly client = inject(GitClient);
  protected readonly auth = inject(Auth);
  protected readonly Object = Object;
  protected readonly page = new EditableList<GitRepository, RepositoryDraft, GitRemoteTestResult>({
    list: () => this.client.list(),
    create: (draft) => this.client.create(createRepositoryRequest(draft)),
    update: (before, draft) =>
      this.client.update(before.id, updateRepositoryRequest(before, draft)),
    remove: (id) => this.client.remove(id),
    test: (id) => this.client.test(id),
    errors: (draft) => repositoryErrors(draft),
    empty: EMPTY_REPOSITORY,
    draftOf: repositoryDraftOf,
  });
  protected readonly repositories = this.page.items;

  constructor() {
    void this.page.load();
  }
}
