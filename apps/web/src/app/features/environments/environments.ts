// Environments (the Superset installations): everyone sees the list; operators test a connection;
// admins add, edit and delete. Passwords are write-only: the page shows only whether one is set.
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  SUPERSET_PROVIDERS,
  type Environment,
  type EnvironmentTestResult,
} from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { EnvironmentsClient } from '../../core/environments-client';
import { errorText } from '../../core/error-text';
import {
  EMPTY_DRAFT,
  createRequest,
  draftErrors,
  draftOf,
  updateRequest,
  type EnvironmentDraft,
} from './environment-form';

type TestState = { running: true } | { running: false; result: EnvironmentTestResult };

@Component({
  selector: 'td-environments',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './environments.html',
  styleUrl: './environments.scss',
})
export class Environments {
  private readonly client = inject(EnvironmentsClient);
  protected readonly auth = inject(Auth);
  protected readonly providers = SUPERSET_PROVIDERS;
  protected readonly Object = Object;

  protected readonly environments = signal<Environment[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** The form: absent, adding (null id) or editing an environment. */
  protected readonly editing = signal<{ id: string | null } | null>(null);
  protected readonly draft = signal<EnvironmentDraft>(EMPTY_DRAFT);
  protected readonly submitted = signal(false);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly confirmingDelete = signal<string | null>(null);
  protected readonly rowError = signal<{ id: string; message: string } | null>(null);
  protected readonly tests = signal<Record<string, TestState>>({});

  protected readonly errors = computed(() =>
    this.submitted() ? draftErrors(this.draft(), (this.editing()?.id ?? null) !== null) : {},
  );

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.environments.set(await this.client.list());
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected add(): void {
    this.open(null, EMPTY_DRAFT);
  }

  protected edit(environment: Environment): void {
    this.open(environment.id, draftOf(environment));
  }

  protected cancel(): void {
    this.editing.set(null);
  }

  protected set<K extends keyof EnvironmentDraft>(key: K, value: EnvironmentDraft[K]): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  protected async save(): Promise<void> {
    const editing = this.editing();
    if (!editing || this.saving()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    if (Object.keys(draftErrors(this.draft(), editing.id !== null)).length) return;
    this.saving.set(true);
    try {
      const before = this.environments().find((e) => e.id === editing.id);
      const saved = before
        ? await this.client.update(before.id, updateRequest(before, this.draft()))
        : await this.client.create(createRequest(this.draft()));
      this.environments.update((list) =>
        [...list.filter((e) => e.id !== saved.id), saved].sort((a, b) =>
          a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
        ),
      );
      this.tests.update(({ [saved.id]: _, ...rest }) => rest);
      this.editing.set(null);
    } catch (error) {
      this.saveError.set(errorText(error));
    } finally {
      this.saving.set(false);
    }
  }

  protected async remove(environment: Environment): Promise<void> {
    this.rowError.set(null);
    try {
      await this.client.remove(environment.id);
      this.environments.update((list) => list.filter((e) => e.id !== environment.id));
      this.confirmingDelete.set(null);
    } catch (error) {
      this.rowError.set({ id: environment.id, message: errorText(error) });
    }
  }

  protected async test(environment: Environment): Promise<void> {
    this.tests.update((tests) => ({ ...tests, [environment.id]: { running: true } }));
    let result: EnvironmentTestResult;
    try {
      result = await this.client.test(environment.id);
    } catch (error) {
      result = { ok: false, error: errorText(error) };
    }
    this.tests.update((tests) => ({ ...tests, [environment.id]: { running: false, result } }));
  }

  protected testOf(id: string): TestState | undefined {
    return this.tests()[id];
  }

  private open(id: string | null, draft: EnvironmentDraft): void {
    this.editing.set({ id });
    this.draft.set(draft);
    this.submitted.set(false);
    this.saveError.set(null);
  }
}
