// The REST API under /api, typed with @taskdeck/contracts. Components call this, never HttpClient.
import { HttpClient, HttpErrorResponse, HttpParams, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ChangePasswordRequest,
  CreateTaskRequest,
  CreateUserRequest,
  LogDownloadFormat,
  LogPage,
  LogQuery,
  LogStats,
  LoggingConfig,
  Me,
  Page,
  PluginInfo,
  Task,
  TaskListQuery,
  UpdateLoggingConfigRequest,
  UpdateUserRequest,
  User,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';

/** Query parameters without the empty ones. */
export function queryParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params = params.set(key, String(value));
    }
  }
  return params;
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

function filenameOf(response: HttpResponse<Blob>, fallback: string): string {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match ? decodeURIComponent(match[1]) : fallback;
}

/** A blob error body carries the server's JSON message: read it so the page can show it. */
async function withJsonBody(error: unknown): Promise<unknown> {
  if (error instanceof HttpErrorResponse && error.error instanceof Blob) {
    try {
      const body: unknown = JSON.parse(await error.error.text());
      return new HttpErrorResponse({
        error: body,
        status: error.status,
        statusText: error.statusText,
        url: error.url ?? undefined,
      });
    } catch {
      return error;
    }
  }
  return error;
}

@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  me(): Promise<Me> {
    return firstValueFrom(this.http.get<Me>('/api/auth/me'));
  }

  plugins(): Promise<PluginInfo[]> {
    return firstValueFrom(this.http.get<PluginInfo[]>('/api/plugins'));
  }

  tasks(query: TaskListQuery): Promise<Page<Task>> {
    return firstValueFrom(this.http.get<Page<Task>>('/api/tasks', { params: queryParams(query) }));
  }

  task(id: string): Promise<Task> {
    return firstValueFrom(this.http.get<Task>(`/api/tasks/${encodeURIComponent(id)}`));
  }

  createTask(request: CreateTaskRequest): Promise<Task> {
    return firstValueFrom(this.http.post<Task>('/api/tasks', request));
  }

  cancelTask(id: string): Promise<Task> {
    return firstValueFrom(this.http.post<Task>(`/api/tasks/${encodeURIComponent(id)}/cancel`, {}));
  }

  deleteTask(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/tasks/${encodeURIComponent(id)}`));
  }

  logs(taskId: string, query: LogQuery): Promise<LogPage> {
    return firstValueFrom(
      this.http.get<LogPage>(`/api/tasks/${encodeURIComponent(taskId)}/logs`, {
        params: queryParams(query),
      }),
    );
  }

  logStats(taskId: string): Promise<LogStats> {
    return firstValueFrom(
      this.http.get<LogStats>(`/api/tasks/${encodeURIComponent(taskId)}/logs/stats`),
    );
  }

  logSources(taskId: string): Promise<string[]> {
    return firstValueFrom(
      this.http.get<string[]>(`/api/tasks/${encodeURIComponent(taskId)}/logs/sources`),
    );
  }

  /** The whole (filtered) log as a file; fetched with the token, so no token goes into a URL. */
  async downloadLogs(
    taskId: string,
    format: LogDownloadFormat,
    query: LogQuery,
  ): Promise<DownloadedFile> {
    const fallback = `task-${taskId}.${format === 'ndjson' ? 'ndjson' : 'log'}`;
    try {
      const response = await firstValueFrom(
        this.http.get(`/api/tasks/${encodeURIComponent(taskId)}/logs/download`, {
          params: queryParams({ ...query, format }),
          responseType: 'blob',
          observe: 'response',
        }),
      );
      return { blob: response.body ?? new Blob([]), filename: filenameOf(response, fallback) };
    } catch (error) {
      throw await withJsonBody(error);
    }
  }

  loggingConfig(): Promise<LoggingConfig> {
    return firstValueFrom(this.http.get<LoggingConfig>('/api/settings/logging'));
  }

  updateLoggingConfig(patch: UpdateLoggingConfigRequest): Promise<LoggingConfig> {
    return firstValueFrom(this.http.patch<LoggingConfig>('/api/settings/logging', patch));
  }

  users(): Promise<User[]> {
    return firstValueFrom(this.http.get<User[]>('/api/users'));
  }

  createUser(request: CreateUserRequest): Promise<User> {
    return firstValueFrom(this.http.post<User>('/api/users', request));
  }

  updateUser(id: string, patch: UpdateUserRequest): Promise<User> {
    return firstValueFrom(this.http.patch<User>(`/api/users/${encodeURIComponent(id)}`, patch));
  }

  deleteUser(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/users/${encodeURIComponent(id)}`));
  }

  changePassword(request: ChangePasswordRequest): Promise<void> {
    return firstValueFrom(this.http.post<void>('/api/auth/password', request));
  }
}
