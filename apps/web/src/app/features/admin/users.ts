// Users (admin): the list with each user's role, state and actions (change the role, disable or
// enable, set a password, delete), and a form to create one. Changes take effect at once on the
// user's sessions (the server ends them for a new password, disabling and deletion).
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ROLES, type Role, type UpdateUserRequest, type User } from '@taskdeck/contracts';
import { ApiClient } from '../../core/api-client';
import { errorText } from '../../core/error-text';

@Component({
  selector: 'td-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h1>Users</h1>
    @if (loadError(); as message) {
      <p class="td-error" role="alert">
        The users could not be loaded: {{ message }}
        <button mat-button type="button" (click)="load()">Try again</button>
      </p>
    }
    <table class="users" aria-label="Users">
      <thead>
        <tr>
          <th scope="col">Username</th>
          <th scope="col">Role</th>
          <th scope="col">State</th>
          <th scope="col">Created</th>
          <th scope="col"><span class="td-muted">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        @for (user of users(); track user.id) {
          <tr data-testid="user-row" [attr.data-username]="user.username">
            <td>{{ user.username }}</td>
            <td>
              <select
                data-testid="user-role-select"
                [attr.aria-label]="'Role of ' + user.username"
                [value]="user.role"
                [disabled]="busy()"
                (change)="update(user, { role: $any($event.target).value })"
              >
                @for (r of roles; track r) {
                  <option [value]="r" [selected]="r === user.role">{{ r }}</option>
                }
              </select>
            </td>
            <td data-testid="user-state">{{ user.disabled ? 'disabled' : 'enabled' }}</td>
            <td>{{ user.createdAt | date: 'yyyy-MM-dd HH:mm' }}</td>
            <td class="actions">
              <button
                mat-button
                type="button"
                data-testid="user-toggle"
                [disabled]="busy()"
                (click)="update(user, { disabled: !user.disabled })"
              >
                {{ user.disabled ? 'Enable' : 'Disable' }}
              </button>
              @if (passwordFor() === user.id) {
                <input
                  type="password"
                  data-testid="user-new-password"
                  autocomplete="new-password"
                  [attr.aria-label]="'New password for ' + user.username"
                  (input)="newPassword.set($any($event.target).value)"
                />
                <button
                  mat-button
                  type="button"
                  data-testid="user-password-save"
                  [disabled]="busy()"
                  (click)="setPassword(user)"
                >
                  Save password
                </button>
              } @else {
                <button
                  mat-button
                  type="button"
                  data-testid="user-password"
                  (click)="passwordFor.set(user.id); newPassword.set('')"
                >
                  Set password
                </button>
              }
              <button
                mat-button
                type="button"
                class="danger"
                data-testid="user-delete"
                [disabled]="busy()"
                (click)="remove(user)"
              >
                {{ confirmDelete() === user.id ? 'Confirm delete' : 'Delete' }}
              </button>
            </td>
          </tr>
        } @empty {
          <tr>
            <td colspan="5" class="td-muted">{{ loading() ? 'Loading…' : 'No users.' }}</td>
          </tr>
        }
      </tbody>
    </table>
    @if (rowError(); as message) {
      <p class="td-error" role="alert" data-testid="user-action-error">{{ message }}</p>
    }
    @if (rowDone(); as message) {
      <p class="td-ok" role="status" data-testid="user-action-done">{{ message }}</p>
    }

    <h2>Create a user</h2>
    <form
      class="create"
      novalidate
      (submit)="$event.preventDefault(); create()"
      aria-label="Create a user"
    >
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Username</mat-label>
        <input
          matInput
          data-testid="user-username"
          autocomplete="off"
          required
          [value]="username()"
          (input)="username.set($any($event.target).value)"
        />
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Password</mat-label>
        <input
          matInput
          type="password"
          data-testid="user-password"
          autocomplete="new-password"
          required
          [value]="password()"
          (input)="password.set($any($event.target).value)"
        />
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Role</mat-label>
        <select
          matNativeControl
          data-testid="user-role"
          [value]="role()"
          (change)="role.set($any($event.target).value)"
        >
          @for (r of roles; track r) {
            <option [value]="r">{{ r }}</option>
          }
        </select>
      </mat-form-field>
      <button mat-flat-button type="submit" data-testid="user-create" [disabled]="busy()">
        Create
      </button>
    </form>
    @if (error(); as message) {
      <p class="td-error" role="alert" data-testid="user-error">Not created: {{ message }}</p>
    }
    @if (created(); as name) {
      <p class="td-ok" role="status" data-testid="user-created">Created {{ name }}.</p>
    }
  `,
  styles: `
    .users {
      border-collapse: collapse;
      min-width: min(36rem, 100%);
      background: var(--mat-sys-surface);
    }
    th,
    td {
      text-align: left;
      padding: 0.4rem 0.6rem;
      border-bottom: 1px solid #e5e7eb;
    }
    .actions {
      white-space: nowrap;
    }
    .actions input {
      width: 10rem;
    }
    .danger {
      color: #b91c1c;
    }
    .create {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
    }
    .create mat-form-field {
      width: 12rem;
    }
  `,
})
export class Users {
  private readonly api = inject(ApiClient);
  protected readonly roles = ROLES;
  protected readonly users = signal<User[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly role = signal<Role>('viewer');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<string | null>(null);
  protected readonly rowError = signal<string | null>(null);
  protected readonly rowDone = signal<string | null>(null);
  /** The user whose new password is being typed, if any. */
  protected readonly passwordFor = signal<string | null>(null);
  protected readonly newPassword = signal('');
  /** The user whose Delete was clicked once: a second click deletes. */
  protected readonly confirmDelete = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.users.set(await this.api.users());
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected async create(): Promise<void> {
    if (this.busy()) return;
    this.error.set(null);
    this.created.set(null);
    if (!this.username().trim() || !this.password()) {
      this.error.set('Enter a username and a password.');
      return;
    }
    this.busy.set(true);
    try {
      const user = await this.api.createUser({
        username: this.username().trim(),
        password: this.password(),
        role: this.role(),
      });
      this.users.update((users) => [...users, user]);
      this.created.set(user.username);
      this.username.set('');
      this.password.set('');
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async update(user: User, patch: UpdateUserRequest): Promise<void> {
    await this.act(async () => {
      const updated = await this.api.updateUser(user.id, patch);
      this.users.update((users) => users.map((u) => (u.id === updated.id ? updated : u)));
      return `${updated.username} updated.`;
    }, user);
  }

  protected async setPassword(user: User): Promise<void> {
    await this.act(async () => {
      await this.api.updateUser(user.id, { password: this.newPassword() });
      this.passwordFor.set(null);
      return `New password set for ${user.username}; their sessions were ended.`;
    }, user);
  }

  protected async remove(user: User): Promise<void> {
    if (this.confirmDelete() !== user.id) {
      this.confirmDelete.set(user.id);
      return;
    }
    await this.act(async () => {
      await this.api.deleteUser(user.id);
      this.users.update((users) => users.filter((u) => u.id !== user.id));
      return `${user.username} deleted.`;
    }, user);
  }

  /** Runs one row action; its outcome (or the server's reason) is shown under the table. */
  private async act(action: () => Promise<string>, user: User): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.rowError.set(null);
    this.rowDone.set(null);
    try {
      this.rowDone.set(await action());
      this.confirmDelete.set(null);
    } catch (error) {
      this.rowError.set(`${user.username}: ${errorText(error)}`);
      await this.load(); // show what is stored, not what was tried
    } finally {
      this.busy.set(false);
    }
  }
}
