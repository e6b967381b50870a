import { registerAs } from '@nestjs/config';
import { envString, InvalidSettingError } from './env';

/** 32 bytes as 64 hex digits or as base64 / base64url (43–44 characters). */
export function parseSecretsKey(raw: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) {
    const key = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

/** The key that encrypts secrets at rest (AES-256-GCM); see secrets/secrets-key.ts. */
export const secretsConfig = registerAs('secrets', () => {
  const raw = envString(process.env, 'SECRETS_KEY');
  const key = raw === undefined ? undefined : parseSecretsKey(raw);
  if (key === null) {
    throw new InvalidSettingError(
      'SECRETS_KEY',
      '<hidden>',
      '32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
    );
  }
  return {
    /** Unset: generated once into the data directory (secrets-key, mode 0600). */
    key,
  };
});
