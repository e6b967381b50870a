// Environments: the Apache Superset installations Taskdeck works on (CONTRACT.md "Environments").
// The password is write-only: accepted on create and update, never returned (`hasPassword` instead).

/** Superset's login provider (`/api/v1/security/login`). */
export const SUPERSET_PROVIDERS = ['db', 'ldap'] as const;
export type SupersetProvider = (typeof SUPERSET_PROVIDERS)[number];

export interface Environment {
  id: string;
  name: string;
  /** Superset's base URL, e.g. `https://superset.example.com`. */
  url: string;
  username: string;
  provider: SupersetProvider;
  verifyTls: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CreateEnvironmentRequest {
  name: string;
  url: string;
  username: string;
  password: string;
  provider?: SupersetProvider;
  verifyTls?: boolean;
}

export type UpdateEnvironmentRequest = Partial<CreateEnvironmentRequest>;

/** `POST /api/environments/:id/test`: 200 either way; `ok: false` carries a readable sentence. */
export type EnvironmentTestResult =
  { ok: true; supersetVersion?: string; dashboards: number } | { ok: false; error: string };

export interface SupersetDashboardSummary {
  id: number;
  uuid: string;
  title: string;
  slug: string | null;
  published: boolean;
  changedOn: string | null;
}

export interface SupersetDatasetSummary {
  id: number;
  uuid: string;
  tableName: string;
  schema: string | null;
  databaseName: string;
}

export interface SupersetDatabaseSummary {
  id: number;
  uuid: string;
  name: string;
  backend: string;
}
