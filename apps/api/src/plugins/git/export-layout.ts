// How a Superset export is laid out in a repository (pure functions, no I/O): one folder per
// environment, then `dashboards/`, `charts/`, `datasets/<database>/`, `databases/`; each YAML file
// rewritten with its keys in a stable (sorted) order and line folding off, so that a commit's diff
// shows what changed in the dashboards and nothing else. The export's `metadata.yaml` (its
// timestamp changes on every export) and root folder name are not kept: deploy writes them anew.
// A database URI's password is never written as anything but Superset's mask.
import { parse, stringify } from 'yaml';

export const SECTIONS = ['dashboards', 'charts', 'datasets', 'databases'] as const;
export type Section = (typeof SECTIONS)[number];

/** Superset's mask for a password it will not export. */
export const PASSWORD_MASK = 'XXXXXXXXXX';

/** The folder an environment's files go to: its name made a safe, readable path segment. */
export function environmentFolder(name: string): string {
  const folder = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  return folder || 'environment';
}

/** The section a bundle path (`charts/Sales_3.yaml`) belongs to, for YAML files only. */
export function sectionOf(path: string): Section | undefined {
  if (!/\.ya?ml$/i.test(path)) return undefined;
  const parts = path.split('/');
  // No hidden segment (`.git`), no `..`, no empty one: a plain path inside its section.
  if (parts.length < 2 || parts.some((part) => part === '' || part.startsWith('.'))) {
    return undefined;
  }
  const first = parts[0];
  return (SECTIONS as readonly string[]).includes(first) ? (first as Section) : undefined;
}

/** `scheme://user:secret@host` → `scheme://user:XXXXXXXXXX@host`. */
export function maskUriPassword(uri: string): string {
  return uri.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@?#]*:)([^@/?#]*)@/, (all, head, secret) =>
    secret === PASSWORD_MASK || secret === '' ? all : `${head}${PASSWORD_MASK}@`,
  );
}

const SECRET_KEYS = /^(password|secret|access_token|private_key|private_key_password)$/i;

/** Keys sorted at every depth; URIs' passwords and password-like keys masked. */
export function stableValue(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => stableValue(item));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, stableValue(v, k)]));
  }
  if (typeof value === 'string') {
    if (SECRET_KEYS.test(key) && value !== '') return PASSWORD_MASK;
    if (key === 'sqlalchemy_uri') return maskUriPassword(value);
  }
  return value;
}

/**
 * How we write YAML that Superset reads: Superset's loader (PyYAML) speaks YAML 1.1, where an
 * unquoted `yes`, `on` or `2026-12-01T10:00:00Z` is a boolean or a datetime, not the string it
 * was; writing for 1.1 quotes those. No line folding.
 */
export const SUPERSET_YAML = { version: '1.1', lineWidth: 0, minContentWidth: 0 } as const;

/** A YAML mapping as the repository keeps it. */
export function stableYaml(text: string): string {
  const value: unknown = parse(text);
  return stringify(stableValue(value), SUPERSET_YAML);
}

/** The `uuid` of a YAML file's top-level mapping, when it has one. */
export function uuidOf(text: string): string | undefined {
  try {
    const value = parse(text) as { uuid?: unknown } | null;
    return value && typeof value.uuid === 'string' ? value.uuid : undefined;
  } catch {
    return undefined;
  }
}

export interface LayoutPlan {
  /** Path under the environment folder → the file's text. */
  writes: Map<string, string>;
  /** Paths under the environment folder to delete (only when the export is the whole set). */
  deletes: string[];
}

/**
 * Where each exported file goes. An object (by uuid and section) that the repository holds
 * already keeps its path, so a renamed dashboard or chart (Superset names files after the title)
 * shows as a change of one line, not as a file deleted and another added. With `complete` (every
 * dashboard was exported) the files no export produced any more are deleted.
 */
export function planLayout(
  exported: ReadonlyMap<string, string>,
  existing: ReadonlyMap<string, string>,
  complete: boolean,
): LayoutPlan {
  const existingByUuid = new Map<string, string>();
  for (const [path, text] of existing) {
    const section = sectionOf(path);
    const uuid = section && uuidOf(text);
    if (section && uuid) existingByUuid.set(`${section}:${uuid}`, path);
  }
  const writes = new Map<string, string>();
  for (const [path, text] of [...exported].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const section = sectionOf(path);
    if (!section) continue;
    const uuid = uuidOf(text);
    const target = (uuid && existingByUuid.get(`${section}:${uuid}`)) ?? path;
    writes.set(target, stableYaml(text));
  }
  const deletes = complete
    ? [...existing.keys()].filter((path) => sectionOf(path) && !writes.has(path)).sort()
    : [];
  return { writes, deletes };
}

/** "Update 3 dashboards from prod: Sales, Ops, HR" (at most 10 titles named). */
export function commitMessage(environment: string, titles: string[]): string {
  const named = titles.slice(0, 10).join(', ');
  const more = titles.length > 10 ? ` and ${titles.length - 10} more` : '';
  const noun = titles.length === 1 ? 'dashboard' : 'dashboards';
  return `Update ${titles.length} ${noun} from ${environment}${titles.length ? `: ${named}${more}` : ''}`;
}

/** The message with a `Co-authored-by` trailer for the Taskdeck user who ran the task. */
export function withCoAuthor(message: string, username: string | null): string {
  if (!username) return message;
  const name = username.replace(/[<>\r\n]/g, '');
  const local = name.replace(/[^A-Za-z0-9._-]/g, '-') || 'user';
  return `${message.trimEnd()}\n\nCo-authored-by: ${name} <${local}@users.taskdeck.invalid>\n`;
}
