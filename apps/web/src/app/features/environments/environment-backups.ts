// The Environments page's backup side: each environment's last backup and next scheduled run, a
// schedule editor (admins) and "Back up now" (operators), over the storage client.
import { signal } from '@angular/core';
import type { Router } from '@angular/router';
import type { EnvironmentBackupStatus } from '@taskdeck/contracts';
import { errorText } from '../../core/error-text';
import type { StorageClient } from '../../core/storage-client';

export interface ScheduleDraft {
  environmentId: string;
  cron: string;
  keep: number;
  enabled: boolean;
}

export class EnvironmentBackups {
  readonly statuses = signal<Map<string, EnvironmentBackupStatus>>(new Map());
  readonly editing = signal<ScheduleDraft | null>(null);
  readonly saving = signal(false);
  readonly error = signal<{ environmentId: string; message: string } | null>(null);
  readonly starting = signal<string | null>(null);

  constructor(
    private readonly client: StorageClient,
    private readonly router: Router,
  ) {}

  async load(): Promise<void> {
    try {
      const list = await this.client.backupStatuses();
      this.statuses.set(new Map(list.map((s) => [s.environmentId, s])));
    } catch (error) {
      this.error.set({ environmentId: '', message: errorText(error) });
    }
  }

  of(environmentId: string): EnvironmentBackupStatus | undefined {
    return this.statuses().get(environmentId);
  }

  async backUpNow(environmentId: string): Promise<void> {
    this.starting.set(environmentId);
    try {
      const task = await this.client.backupNow(environmentId);
      await this.router.navigate(['/tasks', task.id]);
    } catch (error) {
      this.error.set({ environmentId, message: `Not started: ${errorText(error)}` });
    } finally {
      this.starting.set(null);
    }
  }

  edit(environmentId: string): void {
    const schedule = this.of(environmentId)?.schedule;
    this.error.set(null);
    this.editing.set({
      environmentId,
      cron: schedule?.cron ?? '0 3 * * *',
      keep: schedule?.keep ?? 7,
      enabled: schedule?.enabled ?? true,
    });
  }

  set<K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]): void {
    const draft = this.editing();
    if (draft) this.editing.set({ ...draft, [key]: value });
  }

  async save(): Promise<void> {
    const draft = this.editing();
    if (!draft) return;
    this.saving.set(true);
    try {
      await this.client.updateSchedule(draft.environmentId, {
        cron: draft.cron.trim(),
        keep: draft.keep,
        enabled: draft.enabled,
      });
      this.editing.set(null);
      this.error.set(null);
      await this.load();
    } catch (error) {
      this.error.set({
        environmentId: draft.environmentId,
        message: `Not saved: ${errorText(error)}`,
      });
    } finally {
      this.saving.set(false);
    }
  }

  async removeSchedule(environmentId: string): Promise<void> {
    try {
      await this.client.removeSchedule(environmentId);
      this.editing.set(null);
      await this.load();
    } catch (error) {
      this.error.set({ environmentId, message: `Not removed: ${errorText(error)}` });
    }
  }
}
