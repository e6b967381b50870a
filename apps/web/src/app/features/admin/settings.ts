// Logging configuration (admin): server level, task log level, belief scope. Save sends only what
// changed and shows the server's answer where the form is.
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  LOG_LEVELS,
  type LoggingConfig,
  type UpdateLoggingConfigRequest,
} from '@taskdeck/contracts';
import { ApiClient } from '../../core/api-client';
import { errorText } from '../../core/error-text';

@Component({
  selector: 'td-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h1>Settings</h1>
    <h2>Logging</h2>
    @if (loadError(); as message) {
      <p class="td-error" role="alert">
        The settings could not be loaded: {{ message }}
        <button mat-button type="button" (click)="load()">Try again</button>
      </p>
    } @else if (!saved()) {
      <p class="td-muted" role="status">Loading…</p>
    } @else {
      <form
        class="settings"
        (submit)="$event.preventDefault(); save()"
        aria-label="Logging configuration"
      >
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Server log level</mat-label>
          <select
            matNativeControl
            data-testid="settings-level"
            [value]="draft().level"
            (change)="set({ level: $any($event.target).value })"
          >
            @for (level of levels; track level) {
              <option [value]="level">{{ level }}</option>
            }
          </select>
        </mat-form-field>
        <p class="help">
          The server's own log (console and LOG_FILE): entries below this level are dropped.
        </p>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Task log level</mat-label>
          <select
            matNativeControl
            data-testid="settings-task-level"
            [value]="draft().taskLogLevel"
            (change)="set({ taskLogLevel: $any($event.target).value })"
          >
            @for (level of levels; track level) {
              <option [value]="level">{{ level }}</option>
            }
          </select>
        </mat-form-field>
        <p class="help">
          Task log entries below this level are neither stored nor streamed. Applies at once to
          running tasks, on every instance.
        </p>
        <label class="check">
          <input
            type="checkbox"
            data-testid="settings-belief"
            [checked]="draft().enableBeliefState"
            (change)="set({ enableBeliefState: $any($event.target).checked })"
          />
          Belief-scope tracing (entry / exit / coherence lines at DEBUG)
        </label>
        @if (error(); as message) {
          <p class="td-error" role="alert" data-testid="settings-error">Not saved: {{ message }}</p>
        }
        @if (savedAt() && !changed()) {
          <p class="td-ok" role="status" data-testid="settings-saved">
            Saved. The new levels are in force.
          </p>
        }
        <div class="actions">
          <button
            mat-flat-button
            type="submit"
            data-testid="settings-save"
            [disabled]="busy() || !changed()"
          >
            {{ busy() ? 'Saving…' : 'Save' }}
          </button>
          <button mat-button type="button" [disabled]="busy() || !changed()" (click)="reset()">
            Discard changes
          </button>
        </div>
      </form>
    }
  `,
  styles: `
    .settings {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      max-width: 32rem;
    }
    .help {
      margin: 0.1rem 0 0.75rem 0.25rem;
      font-size: 0.8rem;
      color: #4b5563;
    }
    .check {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin: 0.25rem 0 0.75rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
    }
  `,
})
export class Settings {
  private readonly api = inject(ApiClient);
  protected readonly levels = LOG_LEVELS;
  /** What the server holds. */
  protected readonly saved = signal<LoggingConfig | null>(null);
  protected readonly draft = signal<LoggingConfig>({
    level: 'INFO',
    taskLogLevel: 'INFO',
    enableBeliefState: true,
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly savedAt = signal<number | null>(null);
  private readonly patch = computed<UpdateLoggingConfigRequest>(() => {
    const saved = this.saved();
    const draft = this.draft();
    if (!saved) return {};
    return Object.fromEntries(
      Object.entries(draft).filter(([key, value]) => saved[key as keyof LoggingConfig] !== value),
    );
  });
  protected readonly changed = computed(() => Object.keys(this.patch()).length > 0);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loadError.set(null);
    try {
      const config = await this.api.loggingConfig();
      this.saved.set(config);
      this.draft.set(config);
    } catch (error) {
      this.loadError.set(errorText(error));
    }
  }

  protected set(change: Partial<LoggingConfig>): void {
    this.draft.update((draft) => ({ ...draft, ...change }));
    this.error.set(null);
  }

  protected reset(): void {
    const saved = this.saved();
    if (saved) this.draft.set(saved);
    this.error.set(null);
  }

  protected async save(): Promise<void> {
    if (!this.changed() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const config = await this.api.updateLoggingConfig(this.patch());
      this.saved.set(config);
      this.draft.set(config);
      this.savedAt.set(Date.now());
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }
}
