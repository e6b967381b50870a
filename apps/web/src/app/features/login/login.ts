// Sign in; afterwards back to where the user was sent from (`?returnUrl=`), else the tasks page.
import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import { Auth, type SignOutReason } from '../../core/auth';
import { errorText } from '../../core/error-text';

/** What the login page says when the console sent the user here (`?reason=`). */
export const SIGN_OUT_NOTICES: Record<SignOutReason, string> = {
  expired: 'Your session expired. Sign in again to continue.',
  ended: 'Your session ended: your account was changed or signed out. Sign in again to continue.',
};

/** Only in-app paths: never an absolute URL an attacker put in the link. */
export function safeReturnUrl(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login')
    ? value
    : '/tasks';
}

@Component({
  selector: 'td-login',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <main class="login">
      <form
        class="card"
        novalidate
        aria-labelledby="login-title"
        (submit)="$event.preventDefault(); submit()"
      >
        <h1 id="login-title">Sign in to Taskdeck</h1>
        @if (notice; as text) {
          <p class="notice" role="status" data-testid="login-notice">{{ text }}</p>
        }
        <mat-form-field>
          <mat-label>Username</mat-label>
          <input
            matInput
            name="username"
            autocomplete="username"
            data-testid="login-username"
            required
            [value]="username()"
            (input)="username.set($any($event.target).value)"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input
            matInput
            name="password"
            type="password"
            autocomplete="current-password"
            data-testid="login-password"
            required
            [value]="password()"
            (input)="password.set($any($event.target).value)"
          />
        </mat-form-field>
        @if (error(); as message) {
          <p class="td-error" role="alert" data-testid="login-error">{{ message }}</p>
        }
        <button mat-flat-button type="submit" data-testid="login-submit" [disabled]="busy()">
          {{ busy() ? 'Signing in…' : 'Sign in' }}
        </button>
      </form>
    </main>
  `,
  styles: `
    .login {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 1rem;
      box-sizing: border-box;
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      width: min(22rem, 100%);
      padding: 1.5rem;
      background: var(--mat-sys-surface);
      border: 1px solid #e5e7eb;
      border-radius: 10px;
    }
    h1 {
      font-size: 1.3rem;
    }
    .notice {
      margin: 0 0 0.5rem;
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      background: #fef3c7;
      color: #78350f;
    }
  `,
})
export class Login {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice: string | null =
    SIGN_OUT_NOTICES[this.route.snapshot.queryParamMap.get('reason') as SignOutReason] ?? null;

  constructor() {
    if (this.auth.token) void this.router.navigateByUrl(this.returnUrl());
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (!this.username().trim() || !this.password()) {
      this.error.set('Enter your username and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.username().trim(), this.password());
      await this.router.navigateByUrl(this.returnUrl());
    } catch (error) {
      this.error.set(
        error instanceof HttpErrorResponse && error.status === 401
          ? 'Wrong username or password.'
          : `Sign-in failed: ${errorText(error)}`,
      );
    } finally {
      this.busy.set(false);
    }
  }

  private returnUrl(): string {
    return safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl'));
  }
}
