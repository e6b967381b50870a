// The database connections API (CONTRACT.md "Database connections"). Components call this.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Connection,
  ConnectionTestResult,
  CreateConnectionRequest,
  UpdateConnectionRequest,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';

const path = (id: string, rest = ''): string => `/api/connections/${encodeURIComponent(id)}${rest}`;

@Injectable({ providedIn: 'root' })
export class ConnectionsClient {
  private readonly http = inject(HttpClient);

  list(): Promise<Connection[]> {
    return firstValueFrom(this.http.get<Connection[]>('/api/connections'));
  }

  create(request: CreateConnectionRequest): Promise<Connection> {
    return firstValueFrom(this.http.post<Connection>('/api/connections', request));
  }

  update(id: string, request: UpdateConnectionRequest): Promise<Connection> {
    return firstValueFrom(this.http.patch<Connection>(path(id), request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(path(id)));
  }

  test(id: string): Promise<ConnectionTestResult> {
    return firstValueFrom(this.http.post<ConnectionTestResult>(path(id, '/test'), {}));
  }
}
