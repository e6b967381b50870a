import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  it('gives back a verified payload until its expiry, then forgets it', () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>(10, () => now);
    tokens.set('a.b.c', { sub: 'u1', exp: 1_010 }); // expires at 1,010,000 ms
    expect(tokens.get('a.b.c')).toEqual({ sub: 'u1', exp: 1_010 });
    now = 1_009_999;
    expect(tokens.get('a.b.c')?.sub).toBe('u1');
    now = 1_010_000; // jsonwebtoken: expired once now ≥ exp
    expect(tokens.get('a.b.c')).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('knows nothing of a token it was not given', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>();
    tokens.set('a.b.c', { sub: 'u1', exp: Date.now() / 1000 + 60 });
    expect(tokens.get('a.b.d')).toBeUndefined();
    expect(tokens.get('a.b.c ')).toBeUndefined();
  });

  it('keeps a token without exp, and refuses to keep a malformed exp', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: unknown }>();
    tokens.set('no-exp', { sub: 'u1' });
    tokens.set('odd-exp', { sub: 'u2', exp: '99999999999' });
    expect(tokens.get('no-exp')?.sub).toBe('u1');
    expect(tokens.get('odd-exp')).toBeUndefined();
  });

  it('stays bounded: when full it starts afresh', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>(3);
    for (let i = 0; i < 3; i++) tokens.set(`t${i}`, { sub: `u${i}` });
    expect(tokens.size).toBe(3);
    tokens.set('t3', { sub: 'u3' });
    expect(tokens.size).toBe(1);
    expect(tokens.get('t0')).toBeUndefined();
    expect(tokens.get('t3')?.sub).toBe('u3');
  });
});
