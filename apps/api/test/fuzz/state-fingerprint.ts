// What the fuzz suite compares before and after a request: everything the API can change, as one
// hash computed by PostgreSQL (users with their hashes and token versions, tasks, settings and
// their audit, the log counters).
import type { Client } from 'pg';

const FINGERPRINT = `
  SELECT md5(concat_ws('|',
    (SELECT string_agg(concat_ws(',', id, username, role, disabled, token_version, password_hash), ';' ORDER BY id) FROM users),
    (SELECT string_agg(concat_ws(',', id, status, cancel_requested), ';' ORDER BY id) FROM tasks),
    (SELECT string_agg(concat_ws(',', key, value::text), ';' ORDER BY key) FROM settings),
    (SELECT count(*) FROM settings_audit),
    (SELECT coalesce(sum(count), 0) FROM task_log_counters)
  )) AS fingerprint`;

export async function stateFingerprint(db: Client): Promise<string> {
  const { rows } = await db.query<{ fingerprint: string }>(FINGERPRINT);
  return rows[0].fingerprint;
}
