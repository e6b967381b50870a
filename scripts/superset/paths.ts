// Where the real Apache Superset of the `superset` test tier lives. The virtual environment is a
// one-time cost, cached outside the clone (CI on the same machine reuses it); an instance (its
// PostgreSQL, config, logs) lives under the temporary directory, reachable by the `postgres` user
// that the embedded PostgreSQL runs as when we are root.
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The pinned release; requirements.txt and constraints.txt beside this file match it. */
export const SUPERSET_VERSION = '6.1.0';
export const PYTHON_VERSIONS = ['3.11', '3.12', '3.10'];

export const SCRIPT_DIR = resolve(__dirname);
export const REPO_ROOT = resolve(__dirname, '../..');

export function cacheRoot(): string {
  const base =
    process.env.TASKDECK_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'taskdeck');
  return join(base, 'superset');
}

export function venvDir(python: string): string {
  return join(cacheRoot(), `apache-superset-${SUPERSET_VERSION}-py${python}`, 'venv');
}

export function instanceDir(name: string): string {
  return join(tmpdir(), 'taskdeck-superset', name);
}

export interface InstanceState {
  name: string;
  /** The supervisor's pid: SIGTERM stops Superset and its PostgreSQL. */
  pid: number;
  url: string;
  port: number;
  username: string;
  password: string;
  /** The PostgreSQL that holds the seeded example tables (and Superset's metadata). */
  postgresUrl: string;
  examplesDatabase: string;
}

export interface SeedResult {
  databaseId: number;
  databaseUuid: string;
  datasetIds: number[];
  chartIds: number[];
  dashboardId: number;
  /** Dashboards in all after seeding (more than one page). */
  dashboards: number;
  /**
   * A second dashboard for dashboard-validation: one chart whose data answers and one on a
   * virtual dataset whose SQL errors, both saved with a query context so that Superset can
   * replay them. Absent from seeds made before it existed (the seed adds it on its next run).
   */
  broken?: BrokenSeed;
}

export interface BrokenSeed {
  dashboardId: number;
  /** The virtual dataset whose SQL names a table that is gone. */
  datasetId: number;
  chartId: number;
  chartName: string;
  /** A chart on public.orders, with a query context, whose data answers. */
  workingChartId: number;
  workingChartName: string;
}

export const stateFile = (name: string): string => join(instanceDir(name), 'state.json');
export const seedFile = (name: string): string => join(instanceDir(name), 'seed.json');
