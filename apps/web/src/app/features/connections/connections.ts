// Database connections (Postgres sources for the mapper): everyone sees the list; operators test
// one; admins add, edit and delete. Passwords are write-only: the page shows only whether one is set.
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Connection, ConnectionTestResult } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { ConnectionsClient } from '../../core/connections-client';
import { EditableList } from '../../shared/editable-list/editable-list';
import {
  EMPTY_CONNECTION,
  connectionDraftOf,
  connectionErrors,
  createConnectionRequest,
  updateConnectionRequest,
  type ConnectionDraft,
} from './connection-form';

@Component({
  selector: 'td-connections',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './connections.html',
  styleUrl: '../environments/environments.scss',
})
export class Connections {
  private readonly client = inject(ConnectionsClient);
  protected readonly auth = inject(Auth);
  protected readonly Object = Object;
  protected readonly page = new EditableList<Connection, ConnectionDraft, ConnectionTestResult>({
    list: () => this.client.list(),
    create: (draft) => this.client.create(createConnectionRequest(draft)),
    update: (before, draft) =>
      this.client.update(before.id, updateConnectionRequest(before, draft)),
    remove: (id) => this.client.remove(id),
    test: (id) => this.client.test(id),
    errors: (draft) => connectionErrors(draft),
    empty: EMPTY_CONNECTION,
    draftOf: connectionDraftOf,
  });
  protected readonly connections = this.page.items;

  constructor() {
    void this.page.load();
  }
}
