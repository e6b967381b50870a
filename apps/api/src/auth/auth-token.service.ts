import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole } from '@taskdeck/contracts';
import type { AuthUser } from '../common/decorators/current-user.decorator';

interface AccessTokenPayload {
  sub: string;
  username: string;
  role: string;
}

/** Issues and checks access tokens; used by the HTTP guard and the socket handshake alike. */
@Injectable()
export class AuthTokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(user: AuthUser): Promise<string> {
    const payload: AccessTokenPayload = { sub: user.id, username: user.username, role: user.role };
    return this.jwt.signAsync(payload);
  }

  /** The user a token stands for, or null when it is missing, malformed, forged or expired. */
  async verify(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    try {
      const payload = await this.jwt.verifyAsync<AccessTokenPayload>(token);
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.username !== 'string' ||
        !isRole(payload.role)
      ) {
        return null;
      }
      return { id: payload.sub, username: payload.username, role: payload.role };
    } catch {
      return null;
    }
  }
}
