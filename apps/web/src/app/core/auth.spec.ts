import { renewalDelay, tokenExpiry } from './auth';

function token(claims: object): string {
  const part = btoa(JSON.stringify(claims))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `e30.${part}.sig`;
}

describe('token renewal', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const s = (ms: number) => Math.floor(ms / 1000);

  it('renews a 12 h token 5 minutes before it expires', () => {
    const t = token({ iat: s(now), exp: s(now + 12 * 3_600_000) });
    expect(tokenExpiry(t)).toBe(now + 12 * 3_600_000);
    expect(renewalDelay(t, now)).toBe(12 * 3_600_000 - 5 * 60_000);
  });

  it('renews a short token a tenth of its lifetime before expiry, and at once when that is past', () => {
    const t = token({ iat: s(now), exp: s(now + 60_000) });
    expect(renewalDelay(t, now)).toBe(54_000);
    expect(renewalDelay(t, now + 59_000)).toBe(0);
  });

  it('renews at once a token it cannot read', () => {
    expect(renewalDelay('garbage', now)).toBe(0);
    expect(tokenExpiry('garbage')).toBe(0);
  });
});
