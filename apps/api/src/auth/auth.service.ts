import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { LoginResponse } from '@taskdeck/contracts';
import { AuthTokenService } from './auth-token.service';
import { verifyPassword } from './password-hasher';
import { UsersService } from './users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AuthTokenService,
  ) {}

  async login(username: string, password: string): Promise<LoginResponse> {
    const found = await this.users.findByUsername(username);
    const valid = await verifyPassword(found?.passwordHash, password);
    if (!found || !valid) throw new UnauthorizedException('wrong username or password');
    const user = { id: found.id, username: found.username, role: found.role };
    return { accessToken: await this.tokens.issue(user), user };
  }
}
