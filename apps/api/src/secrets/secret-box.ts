// AES-256-GCM for secrets at rest (Superset passwords, database passwords, git tokens, API keys).
// A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url): a fresh 96-bit IV per value, the
// 128-bit tag authenticates it, and the purpose (e.g. `environment.password`) is bound as
// additional data, so a ciphertext copied into another column does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that this key cannot open: another key, or tampered with. */
export class SecretUnreadableError extends Error {
  constructor(purpose: string) {
    super(
      `a stored secret (${purpose}) cannot be decrypted: it was encrypted with another SECRETS_KEY or has been altered; enter it again`,
    );
    this.name = 'SecretUnreadableError';
  }
}

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  }

  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, purpose: string): string {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length || !iv || !tag || ciphertext === undefined) {
      throw new SecretUnreadableError(purpose);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(purpose);
    }
  }
}
