import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { LoginResponse } from '@taskdeck/contracts';
import type { AuthUser } from '../common/decorators/current-user.decorator';
import { AuthTokenService } from './auth-token.service';
import { LoginThrottle } from './login-throttle.service';
import { verifyPassword } from './password-hasher';
import { UsersService } from './users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AuthTokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** 401 for wrong credentials or a disabled user (one message for all); 429 when throttled. */
  async login(username: string, password: string, ip: string): Promise<LoginResponse> {
    await this.throttle.check(username, ip);
    const found = await this.users.findByUsername(username);
    const valid = await verifyPassword(found?.passwordHash, password);
    if (!found || !valid || found.disabled) {
      await this.throttle.failed(username, ip);
      throw new UnauthorizedException('wrong username or password');
    }
    await this.throttle.succeeded(username);
    const user = { id: found.id, username: found.username, role: found.role };
    return { accessToken: await this.tokens.issue(user, found.tokenVersion), user };
  }

  /** A fresh token for a caller whose token is still valid (the console renews before expiry). */
  async refresh(caller: AuthUser): Promise<LoginResponse> {
    const found = await this.users.findById(caller.id);
    if (!found || found.disabled) {
      throw new UnauthorizedException('a valid access token is required');
    }
    const user = { id: found.id, username: found.username, role: found.role };
    return { accessToken: await this.tokens.issue(user, found.tokenVersion), user };
  }

  /** 400 for a wrong current password; wrong guesses count against the user like failed logins. */
  async changeOwnPassword(
    caller: AuthUser,
    currentPassword: string,
    newPassword: string,
    ip: string,
  ): Promise<void> {
    await this.throttle.check(caller.username, ip);
    const found = await this.users.findById(caller.id);
    if (!found || !(await verifyPassword(found.passwordHash, currentPassword))) {
      await this.throttle.failed(caller.username, ip);
      throw new BadRequestException('the current password is wrong');
    }
    await this.users.setOwnPassword(caller.id, newPassword);
  }
}
