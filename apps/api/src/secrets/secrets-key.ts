import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecretsKey } from '../config/secrets.config';

export const SECRETS_KEY_FILE = 'secrets-key';

/**
 * The key that encrypts secrets at rest: SECRETS_KEY when set; otherwise generated once into the
 * data directory (mode 0600) and read from there on every later start. Losing that file makes the
 * stored secrets unreadable, so it is never replaced once it exists.
 */
export function loadOrCreateSecretsKey(configured: Buffer | undefined, dataDir: string): Buffer {
  if (configured) return configured;
  const file = join(dataDir, SECRETS_KEY_FILE);
  if (existsSync(file)) {
    const key = parseSecretsKey(readFileSync(file, 'utf8').trim());
    if (!key) {
      throw new Error(
        `${file} does not hold a secrets key (64 hex digits or base64 of 32 bytes); restore it or set SECRETS_KEY`,
      );
    }
    // Whoever copied the data directory may have widened it: a key is for this user only.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
