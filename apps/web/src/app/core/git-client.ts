// The git repositories API (CONTRACT.md "Git repositories"). Components call this.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateGitRepositoryRequest,
  GitCommitList,
  GitRemoteTestResult,
  GitRepository,
  UpdateGitRepositoryRequest,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';

const path = (id: string, rest = ''): string =>
  `/api/git/repositories/${encodeURIComponent(id)}${rest}`;

@Injectable({ providedIn: 'root' })
export class GitClient {
  private readonly http = inject(HttpClient);

  list(): Promise<GitRepository[]> {
    return firstValueFrom(this.http.get<GitRepository[]>('/api/git/repositories'));
  }

  get(id: string): Promise<GitRepository> {
    return firstValueFrom(this.http.get<GitRepository>(path(id)));
  }

  create(request: CreateGitRepositoryRequest): Promise<GitRepository> {
    return firstValueFrom(this.http.post<GitRepository>('/api/git/repositories', request));
  }

  update(id: string, request: UpdateGitRepositoryRequest): Promise<GitRepository> {
    return firstValueFrom(this.http.patch<GitRepository>(path(id), request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(path(id)));
  }

  test(id: string): Promise<GitRemoteTestResult> {
    return firstValueFrom(this.http.post<GitRemoteTestResult>(path(id, '/test'), {}));
  }

  /** The branch's last 20 commits with their files. */
  commits(id: string): Promise<GitCommitList> {
    return firstValueFrom(this.http.get<GitCommitList>(path(id, '/commits')));
  }
}
