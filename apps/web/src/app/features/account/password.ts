// Change your own password: the current one, then the new one twice. The session goes on.
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ApiClient } from '../../core/api-client';
import { errorText } from '../../core/error-text';

@Component({
  selector: 'td-password',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h1>Change your password</h1>
    <form
      class="form"
      novalidate
      (submit)="$event.preventDefault(); submit()"
      aria-label="Change your password"
    >
      <mat-form-field>
        <mat-label>Current password</mat-label>
        <input
          matInput
          type="password"
          autocomplete="current-password"
          data-testid="password-current"
          [value]="current()"
          (input)="current.set($any($event.target).value)"
        />
      </mat-form-field>
      <mat-form-field>
        <mat-label>New password (8 characters or more)</mat-label>
        <input
          matInput
          type="password"
          autocomplete="new-password"
          data-testid="password-new"
          [value]="next()"
          (input)="next.set($any($event.target).value)"
        />
      </mat-form-field>
      <mat-form-field>
        <mat-label>New password again</mat-label>
        <input
          matInput
          type="password"
          autocomplete="new-password"
          data-testid="password-repeat"
          [value]="repeat()"
          (input)="repeat.set($any($event.target).value)"
        />
      </mat-form-field>
      <button mat-flat-button type="submit" data-testid="password-submit" [disabled]="busy()">
        Change password
      </button>
    </form>
    @if (error(); as message) {
      <p class="td-error" role="alert" data-testid="password-error">{{ message }}</p>
    }
    @if (done()) {
      <p class="td-ok" role="status" data-testid="password-done">Your password was changed.</p>
    }
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      width: min(24rem, 100%);
    }
  `,
})
export class Password {
  private readonly api = inject(ApiClient);
  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly repeat = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal(false);

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.error.set(null);
    this.done.set(false);
    if (this.next() !== this.repeat()) {
      this.error.set('The new password and its repetition differ.');
      return;
    }
    this.busy.set(true);
    try {
      await this.api.changePassword({ currentPassword: this.current(), newPassword: this.next() });
      this.done.set(true);
      this.current.set('');
      this.next.set('');
      this.repeat.set('');
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }
}
