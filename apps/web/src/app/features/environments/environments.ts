// Environments (the Superset installations): everyone sees the list; operators test a connection;
// admins add, edit and delete. Passwords are write-only: the page shows only whether one is set.
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import {
  SUPERSET_PROVIDERS,
  type Environment,
  type EnvironmentTestResult,
} from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { EnvironmentsClient } from '../../core/environments-client';
import { StorageClient } from '../../core/storage-client';
import { EditableList } from '../../shared/editable-list/editable-list';
import {
  EMPTY_DRAFT,
  createRequest,
  draftErrors,
  draftOf,
  updateRequest,
  type EnvironmentDraft,
} from './environment-form';
import { EnvironmentBackups } from './environment-backups';

@Component({
  selector: 'td-environments',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink],
  templateUrl: './environments.html',
  styleUrl: './environments.scss',
})
export class Environments {
  private readonly client = inject(EnvironmentsClient);
  protected readonly auth = inject(Auth);
  protected readonly providers = SUPERSET_PROVIDERS;
  protected readonly Object = Object;
  protected readonly page = new EditableList<Environment, EnvironmentDraft, EnvironmentTestResult>({
    list: () => this.client.list(),
    create: (draft) => this.client.create(createRequest(draft)),
    update: (before, draft) => this.client.update(before.id, updateRequest(before, draft)),
    remove: (id) => this.client.remove(id),
    test: (id) => this.client.test(id),
    errors: draftErrors,
    empty: EMPTY_DRAFT,
    draftOf,
  });
  protected readonly environments = this.page.items;
  protected readonly backups = new EnvironmentBackups(inject(StorageClient), inject(Router));

  constructor() {
    void this.page.load();
    void this.backups.load();
  }

  protected cancel(): void {
    this.page.editing.set(null);
  }
}
