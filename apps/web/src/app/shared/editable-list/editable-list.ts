// The state of a configuration list page (environments, connections): the rows, one form to add
// or edit a row, delete after a confirmation, and a connection test per row. Pages hold one and
// stay presentational; the server calls come from the page's client in core/.
import { computed, signal } from '@angular/core';
import { errorText } from '../../core/error-text';

/** A connection test's answer: 200 either way, `ok: false` with a sentence. */
export interface TestAnswer {
  ok: boolean;
  error?: string;
}

export type TestState<R extends TestAnswer> = { running: true } | { running: false; result: R };

export interface EditableListIo<T extends { id: string; name: string }, D, R extends TestAnswer> {
  list(): Promise<T[]>;
  create(draft: D): Promise<T>;
  update(before: T, draft: D): Promise<T>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<R>;
  /** Field → message; empty when the draft may be sent. */
  errors(draft: D, editing: boolean): Record<string, string>;
  empty: D;
  draftOf(item: T): D;
}

export class EditableList<T extends { id: string; name: string }, D, R extends TestAnswer> {
  readonly items = signal<T[]>([]);
  readonly loading = signal(true);
  readonly loadError = signal<string | null>(null);
  /** The form: absent, adding (null id) or editing a row. */
  readonly editing = signal<{ id: string | null } | null>(null);
  readonly draft: ReturnType<typeof signal<D>>;
  readonly submitted = signal(false);
  readonly saving = signal(false);
  readonly saveError = signal<string | null>(null);
  readonly confirmingDelete = signal<string | null>(null);
  readonly rowError = signal<{ id: string; message: string } | null>(null);
  readonly tests = signal<Record<string, TestState<R>>>({});
  readonly errors = computed(() =>
    this.submitted() ? this.io.errors(this.draft(), (this.editing()?.id ?? null) !== null) : {},
  );

  constructor(private readonly io: EditableListIo<T, D, R>) {
    this.draft = signal<D>(io.empty);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.items.set(await this.io.list());
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  add(): void {
    this.open(null, this.io.empty);
  }

  edit(item: T): void {
    this.open(item.id, this.io.draftOf(item));
  }

  set<K extends keyof D>(key: K, value: D[K]): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  async save(): Promise<void> {
    const editing = this.editing();
    if (!editing || this.saving()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    if (Object.keys(this.io.errors(this.draft(), editing.id !== null)).length) return;
    this.saving.set(true);
    try {
      const before = this.items().find((item) => item.id === editing.id);
      const saved = before
        ? await this.io.update(before, this.draft())
        : await this.io.create(this.draft());
      this.items.update((list) =>
        [...list.filter((item) => item.id !== saved.id), saved].sort((a, b) =>
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

  async remove(item: T): Promise<void> {
    this.rowError.set(null);
    try {
      await this.io.remove(item.id);
      this.items.update((list) => list.filter((i) => i.id !== item.id));
      this.confirmingDelete.set(null);
    } catch (error) {
      this.rowError.set({ id: item.id, message: errorText(error) });
    }
  }

  async test(item: T): Promise<void> {
    this.tests.update((tests) => ({ ...tests, [item.id]: { running: true } }));
    let result: R;
    try {
      result = await this.io.test(item.id);
    } catch (error) {
      result = { ok: false, error: errorText(error) } as R;
    }
    this.tests.update((tests) => ({ ...tests, [item.id]: { running: false, result } }));
  }

  testOf(id: string): TestState<R> | undefined {
    return this.tests()[id];
  }

  private open(id: string | null, draft: D): void {
    this.editing.set({ id });
    this.draft.set(draft);
    this.submitted.set(false);
    this.saveError.set(null);
  }
}
