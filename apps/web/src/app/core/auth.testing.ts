// For specs: a signed-in session in localStorage, as Auth finds it at start.
import { SESSION_STORAGE_KEY } from './auth';

/** Stores a viewer's session whose token expires in an hour; returns that token. */
export function storeSignedInSession(): string {
  const token = `x.${btoa(JSON.stringify({ exp: Date.now() / 1000 + 3600 }))}.y`;
  localStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({
      token,
      user: { id: 'u', username: 'a', role: 'viewer' },
      expiresAt: Date.now() + 3_600_000,
    }),
  );
  return token;
}
