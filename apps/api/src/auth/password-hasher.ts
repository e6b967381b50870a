import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (memory-hard). A fixed dummy hash lets a login for an
// unknown user cost the same as one for a known user.
const DUMMY_HASH_SOURCE = 'taskdeck-dummy-password';
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(
  passwordHash: string | undefined,
  password: string,
): Promise<boolean> {
  if (passwordHash === undefined) {
    dummyHash ??= hash(DUMMY_HASH_SOURCE);
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
