// Database connections (Postgres sources for the mapper): everyone sees the list; operators test
// one; admins add, edit and delete. Passwords are write-only: the page shows only whether one is set.
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Connection, ConnectionTestResult } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { ConnectionsClient } from '../../core/connections-client';
import { errorText } from '../../core/error-text';
import {
  EMPTY_CONNECTION,
  connectionDraftOf,
  connectionErrors,
  createConnectionRequest,
  updateConnectionRequest,
  type ConnectionDraft,
} from './connection-form';

type TestState = { running: true } | { running: false; result: ConnectionTestResult };

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

  protected readonly connections = signal<Connection[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly editing = signal<{ id: string | null } | null>(null);
  protected readonly draft = signal<ConnectionDraft>(EMPTY_CONNECTION);
  protected readonly submitted = signal(false);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly confirmingDelete = signal<string | null>(null);
  protected readonly rowError = signal<{ id: string; message: string } | null>(null);
  protected readonly tests = signal<Record<string, TestState>>({});
  protected readonly errors = computed(() =>
    this.submitted() ? connectionErrors(this.draft()) : {},
  );

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.connections.set(await this.client.list());
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected add(): void {
    this.open(null, EMPTY_CONNECTION);
  }

  protected edit(connection: Connection): void {
    this.open(connection.id, connectionDraftOf(connection));
  }

  protected set<K extends keyof ConnectionDraft>(key: K, value: ConnectionDraft[K]): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  protected async save(): Promise<void> {
    const editing = this.editing();
    if (!editing || this.saving()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    if (Object.keys(connectionErrors(this.draft())).length) return;
    this.saving.set(true);
    try {
      const before = this.connections().find((c) => c.id === editing.id);
      const saved = before
        ? await this.client.update(before.id, updateConnectionRequest(before, this.draft()))
        : await this.client.create(createConnectionRequest(this.draft()));
      this.connections.update((list) =>
        [...list.filter((c) => c.id !== saved.id), saved].sort((a, b) =>
          a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
        ),
      );
      this.editing.set(null);
    } catch (error) {
      this.saveError.set(errorText(error));
    } finally {
      this.saving.set(false);
    }
  }

  protected async remove(connection: Connection): Promise<void> {
    this.rowError.set(null);
    try {
      await this.client.remove(connection.id);
      this.connections.update((list) => list.filter((c) => c.id !== connection.id));
      this.confirmingDelete.set(null);
    } catch (error) {
      this.rowError.set({ id: connection.id, message: errorText(error) });
    }
  }

  protected async test(connection: Connection): Promise<void> {
    this.tests.update((tests) => ({ ...tests, [connection.id]: { running: true } }));
    let result: ConnectionTestResult;
    try {
      result = await this.client.test(connection.id);
    } catch (error) {
      result = { ok: false, error: errorText(error) };
    }
    this.tests.update((tests) => ({ ...tests, [connection.id]: { running: false, result } }));
  }

  protected testOf(id: string): TestState | undefined {
    return this.tests()[id];
  }

  private open(id: string | null, draft: ConnectionDraft): void {
    this.editing.set({ id });
    this.draft.set(draft);
    this.submitted.set(false);
    this.saveError.set(null);
  }
}
