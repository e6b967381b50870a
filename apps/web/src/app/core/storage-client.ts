// The storage and backup API (CONTRACT.md "Storage", the backup plugin, backup schedules).
// Components call this, never HttpClient.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  BackupDatabase,
  BackupSchedule,
  EnvironmentBackupStatus,
  StorageCategory,
  StorageUsage,
  StoredFile,
  Task,
  UpdateBackupScheduleRequest,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';
import { ApiClient, queryParams, type DownloadedFile } from './api-client';

const schedulePath = (environmentId: string): string =>
  `/api/environments/${encodeURIComponent(environmentId)}/backup-schedule`;

@Injectable({ providedIn: 'root' })
export class StorageClient {
  private readonly http = inject(HttpClient);
  private readonly api = inject(ApiClient);

  files(query: { category?: StorageCategory; prefix?: string } = {}): Promise<StoredFile[]> {
    return firstValueFrom(
      this.http.get<StoredFile[]>('/api/storage/files', { params: queryParams(query) }),
    );
  }

  usage(): Promise<StorageUsage> {
    return firstValueFrom(this.http.get<StorageUsage>('/api/storage/usage'));
  }

  /** Fetched with the token (no token in a URL), then saved by the caller. */
  async download(file: StoredFile): Promise<DownloadedFile> {
    const blob = await firstValueFrom(
      this.http.get('/api/storage/files/download', {
        params: queryParams({ path: file.path }),
        responseType: 'blob',
      }),
    );
    return { blob, filename: file.name };
  }

  remove(path: string): Promise<void> {
    return firstValueFrom(
      this.http.delete<void>('/api/storage/files', { params: queryParams({ path }) }),
    );
  }

  backupDatabases(path: string, environmentId: string): Promise<BackupDatabase[]> {
    return firstValueFrom(
      this.http.get<BackupDatabase[]>('/api/backups/databases', {
        params: queryParams({ path, environmentId }),
      }),
    );
  }

  backupStatuses(): Promise<EnvironmentBackupStatus[]> {
    return firstValueFrom(this.http.get<EnvironmentBackupStatus[]>('/api/backup-schedules'));
  }

  updateSchedule(
    environmentId: string,
    body: UpdateBackupScheduleRequest,
  ): Promise<BackupSchedule> {
    return firstValueFrom(this.http.put<BackupSchedule>(schedulePath(environmentId), body));
  }

  removeSchedule(environmentId: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(schedulePath(environmentId)));
  }

  backupNow(environmentId: string): Promise<Task> {
    return this.api.createTask({ pluginId: 'backup', params: { environmentId } });
  }

  restore(params: {
    path: string;
    environmentId: string;
    overwrite: boolean;
    passwords?: Record<string, string>;
  }): Promise<Task> {
    return this.api.createTask({
      pluginId: 'backup',
      params: { action: 'restore', ...params },
    });
  }
}
