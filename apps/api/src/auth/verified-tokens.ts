// Access tokens whose signature was already checked, so that a client's second request with the
// same token does not pay for it again. jsonwebtoken builds a key object from the secret and
// checks the HMAC on every call: the largest share of an authenticated trivial request's CPU
// (docs/performance-notes.md). Only what the signature proves is kept here (the payload and its
// expiry); whether the user may still use the token (still there, enabled, same token version,
// current role) is looked up on every request (UserAccessCache), so revocation stays immediate.

/** Bounds the memory: when full, the map starts afresh (every token is then verified once more). */
export const VERIFIED_TOKENS_MAX = 10_000;

interface Verified<P> {
  payload: P;
  /** Date.now() from which the token is expired (jsonwebtoken: now ≥ exp seconds); null: never. */
  expiresAt: number | null;
}

export class VerifiedTokens<P extends { exp?: unknown }> {
  private readonly entries = new Map<string, Verified<P>>();

  constructor(
    private readonly max = VERIFIED_TOKENS_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  /** The payload of a token verified before and not yet expired; undefined otherwise. */
  get(token: string): P | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && this.now() >= entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.payload;
  }

  /** Remembers a payload that jsonwebtoken has just verified for `token`. */
  set(token: string, payload: P): void {
    const exp = payload.exp;
    if (exp !== undefined && typeof exp !== 'number') return; // jsonwebtoken would have refused it
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(token, { payload, expiresAt: typeof exp === 'number' ? exp * 1000 : null });
  }

  get size(): number {
    return this.entries.size;
  }
}
