// The Storage page: usage at the top, the files by category and environment (size, date), download
// for everyone, delete for admins, and "Restore to…" for backups (operators): the target's missing
// databases are asked for their passwords before the restore task starts.
import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import {
  STORAGE_CATEGORIES,
  type BackupDatabase,
  type Environment,
  type StorageCategory,
  type StorageUsage,
  type StoredFile,
} from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { saveBlob } from '../../core/browser-files';
import { EnvironmentsClient } from '../../core/environments-client';
import { errorText } from '../../core/error-text';
import { StorageClient } from '../../core/storage-client';

/** `backups/<env>/…` and `screenshots/<env>/…` name their environment folder second. */
export function environmentOf(file: StoredFile): string | null {
  const parts = file.path.split('/');
  return file.category !== 'repositories' && parts.length > 2 ? parts[1] : null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

interface RestoreState {
  file: StoredFile;
  environmentId: string;
  overwrite: boolean;
  databases: BackupDatabase[] | null;
  checking: boolean;
  passwords: Record<string, string>;
  error: string | null;
  starting: boolean;
}

@Component({
  selector: 'td-storage',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './storage.html',
  styleUrl: './storage.scss',
})
export class Storage {
  private readonly client = inject(StorageClient);
  private readonly environmentsClient = inject(EnvironmentsClient);
  private readonly router = inject(Router);
  protected readonly auth = inject(Auth);
  protected readonly categories = STORAGE_CATEGORIES;
  protected readonly formatBytes = formatBytes;
  protected readonly environmentOf = environmentOf;

  protected readonly files = signal<StoredFile[]>([]);
  protected readonly usage = signal<StorageUsage | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly rowError = signal<{ path: string; message: string } | null>(null);
  protected readonly category = signal<StorageCategory | ''>('');
  protected readonly environment = signal('');
  protected readonly confirmingDelete = signal<string | null>(null);
  protected readonly environments = signal<Environment[]>([]);
  protected readonly restore = signal<RestoreState | null>(null);

  protected readonly environmentFolders = computed(() =>
    [
      ...new Set(
        this.files()
          .map(environmentOf)
          .filter((e): e is string => e !== null),
      ),
    ].sort(),
  );
  protected readonly shown = computed(() =>
    this.files().filter(
      (f) =>
        (!this.category() || f.category === this.category()) &&
        (!this.environment() || environmentOf(f) === this.environment()),
    ),
  );
  protected readonly missingPasswords = computed(() => {
    const state = this.restore();
    return (state?.databases ?? []).filter(
      (db) => db.needsPassword && !(state?.passwords[db.uuid] ?? '').trim(),
    );
  });

  constructor() {
    void this.load();
  }

  protected needsAnyPassword(databases: BackupDatabase[]): boolean {
    return databases.some((db) => db.needsPassword);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const [files, usage] = await Promise.all([this.client.files(), this.client.usage()]);
      this.files.set(files);
      this.usage.set(usage);
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected async download(file: StoredFile): Promise<void> {
    try {
      const { blob, filename } = await this.client.download(file);
      saveBlob(blob, filename);
    } catch (error) {
      this.rowError.set({ path: file.path, message: `Not downloaded: ${errorText(error)}` });
    }
  }

  protected async remove(file: StoredFile): Promise<void> {
    this.confirmingDelete.set(null);
    try {
      await this.client.remove(file.path);
      this.rowError.set(null);
      await this.load();
    } catch (error) {
      this.rowError.set({ path: file.path, message: `Not deleted: ${errorText(error)}` });
    }
  }

  protected async openRestore(file: StoredFile): Promise<void> {
    this.restore.set({
      file,
      environmentId: '',
      overwrite: false,
      databases: null,
      checking: false,
      passwords: {},
      error: null,
      starting: false,
    });
    try {
      this.environments.set(await this.environmentsClient.list());
    } catch (error) {
      this.patchRestore({ error: errorText(error) });
    }
  }

  protected async chooseTarget(environmentId: string): Promise<void> {
    const state = this.restore();
    if (!state) return;
    this.patchRestore({ environmentId, databases: null, passwords: {}, error: null });
    if (!environmentId) return;
    this.patchRestore({ checking: true });
    try {
      const databases = await this.client.backupDatabases(state.file.path, environmentId);
      if (this.restore()?.environmentId === environmentId) this.patchRestore({ databases });
    } catch (error) {
      this.patchRestore({ error: errorText(error) });
    } finally {
      this.patchRestore({ checking: false });
    }
  }

  protected setPassword(uuid: string, value: string): void {
    const state = this.restore();
    if (state) this.patchRestore({ passwords: { ...state.passwords, [uuid]: value } });
  }

  protected patchRestore(patch: Partial<RestoreState>): void {
    const state = this.restore();
    if (state) this.restore.set({ ...state, ...patch });
  }

  protected async startRestore(): Promise<void> {
    const state = this.restore();
    if (!state || !state.environmentId || this.missingPasswords().length) return;
    this.patchRestore({ starting: true, error: null });
    const passwords = Object.fromEntries(
      Object.entries(state.passwords).filter(([, value]) => value.trim() !== ''),
    );
    try {
      const task = await this.client.restore({
        path: state.file.path,
        environmentId: state.environmentId,
        overwrite: state.overwrite,
        ...(Object.keys(passwords).length ? { passwords } : {}),
      });
      this.restore.set(null);
      await this.router.navigate(['/tasks', task.id]);
    } catch (error) {
      this.patchRestore({ starting: false, error: errorText(error) });
    }
  }
}
