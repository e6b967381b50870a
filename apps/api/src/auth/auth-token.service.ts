import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser } from '../common/decorators/current-user.decorator';
import { UserAccessCache } from './user-access-cache.service';
import { VerifiedTokens } from './verified-tokens';

interface AccessTokenPayload {
  sub: string;
  username: string;
  role: string;
  /** The user's token version when it was issued; a raised version ends older tokens. */
  ver?: number;
  /** Expiry, seconds since the epoch (set by the JwtModule's expiresIn). */
  exp?: number;
}

/**
 * Issues and checks access tokens; used by the HTTP guard and the socket handshake alike. A token
 * is only as good as its user: deleted, disabled or with a newer token version → rejected, and the
 * role is the user's role now, not the one the token was issued with (UserAccessCache: no
 * database query per request). A token's signature is checked once (VerifiedTokens), its user on
 * every request.
 */
@Injectable()
export class AuthTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly access: UserAccessCache,
  ) {}

  private readonly verified = new VerifiedTokens<AccessTokenPayload>();

  issue(user: AuthUser, tokenVersion: number): Promise<string> {
    const payload: AccessTokenPayload = {
      sub: user.id,
      username: user.username,
      role: user.role,
      ver: tokenVersion,
    };
    return this.jwt.signAsync(payload);
  }

  /** The user a token stands for, or null when it is missing, malformed, forged, expired or revoked. */
  async verify(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    let payload = this.verified.get(token);
    if (!payload) {
      try {
        payload = await this.jwt.verifyAsync<AccessTokenPayload>(token);
      } catch {
        return null;
      }
      this.verified.set(token, payload);
    }
    if (typeof payload.sub !== 'string') return null;
    const user = await this.access.get(payload.sub);
    if (!user || user.disabled || user.tokenVersion !== (payload.ver ?? 0)) return null;
    return { id: user.id, username: user.username, role: user.role };
  }
}
