import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@taskdeck/contracts';

/** The caller, as the auth guard verified it from the access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser =>
    ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
