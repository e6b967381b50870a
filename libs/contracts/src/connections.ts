// Database connections (CONTRACT.md "Database connections"): Postgres sources whose column
// comments the mapper reads. The password is write-only: never returned (`hasPassword` instead).

export const CONNECTION_TYPES = ['postgres'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface Connection {
  id: string;
  name: string;
  type: ConnectionType;
  host: string;
  port: number;
  database: string;
  username: string;
  hasPassword: boolean;
}

export interface CreateConnectionRequest {
  name: string;
  type?: ConnectionType;
  host: string;
  port?: number;
  database: string;
  username: string;
  /** Absent: none (e.g. trust or peer authentication). */
  password?: string;
}

/** Any subset; a `password` replaces the stored one, an empty one removes it, none keeps it. */
export type UpdateConnectionRequest = Partial<CreateConnectionRequest>;

/** `POST /api/connections/:id/test`: 200 either way; `ok: false` carries a readable sentence. */
export interface ConnectionTestResult {
  ok: boolean;
  error?: string;
  /** The server's version, when it answered. */
  serverVersion?: string;
}
