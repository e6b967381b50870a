import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseSecretsKey } from '../config/secrets.config';
import { SecretBox, SecretUnreadableError } from './secret-box';
import { loadOrCreateSecretsKey, SECRETS_KEY_FILE } from './secrets-key';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal('hunter2-ünïcode', 'environment.password');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'environment.password')).toBe('hunter2-ünïcode');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'p')).not.toBe(box.seal('same', 'p'));
  });

  it('refuses another purpose, another key, and a tampered value', () => {
    const sealed = box.seal('secret', 'environment.password');
    expect(() => box.open(sealed, 'connection.password')).toThrow(SecretUnreadableError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'environment.password')).toThrow(
      /another SECRETS_KEY/,
    );
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(() => box.open(parts.join('.'), 'environment.password')).toThrow(SecretUnreadableError);
    expect(() => box.open('plaintext', 'environment.password')).toThrow(SecretUnreadableError);
  });
});

describe('the secrets key', () => {
  it('parses 64 hex digits and base64 of 32 bytes, nothing else', () => {
    const key = randomBytes(32);
    expect(parseSecretsKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretsKey(key.toString('base64url'))).toEqual(key);
    expect(parseSecretsKey('short')).toBeNull();
    expect(parseSecretsKey(randomBytes(16).toString('hex'))).toBeNull();
  });

  it('is generated once into the data directory with mode 0600 and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskdeck-secrets-'));
    const first = loadOrCreateSecretsKey(undefined, dir);
    const file = join(dir, SECRETS_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecretsKey(undefined, dir)).toEqual(first);
    chmodSync(file, 0o644);
    loadOrCreateSecretsKey(undefined, dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('prefers SECRETS_KEY and refuses a damaged key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskdeck-secrets-'));
    const configured = randomBytes(32);
    expect(loadOrCreateSecretsKey(configured, dir)).toBe(configured);
    writeFileSync(join(dir, SECRETS_KEY_FILE), 'garbage\n');
    expect(() => loadOrCreateSecretsKey(undefined, dir)).toThrow(/does not hold a secrets key/);
  });
});
