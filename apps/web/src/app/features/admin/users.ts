// Users (admin): the list, and a form to create one with a role.
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ROLES, type Role, type User } from '@taskdeck/contracts';
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
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        @for (user of users(); track user.id) {
          <tr data-testid="user-row">
            <td>{{ user.username }}</td>
            <td>{{ user.role }}</td>
            <td>{{ user.createdAt | date: 'yyyy-MM-dd HH:mm' }}</td>
          </tr>
        } @empty {
          <tr>
            <td colspan="3" class="td-muted">{{ loading() ? 'Loading…' : 'No users.' }}</td>
          </tr>
        }
      </tbody>
    </table>

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
}
