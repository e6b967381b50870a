import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { roleAtLeast, type Role } from '@taskdeck/contracts';
import type { Request } from 'express';
import type { AuthUser } from '../common/decorators/current-user.decorator';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator';
import { MIN_ROLE_KEY } from '../common/decorators/roles.decorator';
import { AuthTokenService } from './auth-token.service';

/** What the decorators of one route say, read once per route (not per request). */
interface RouteAccess {
  isPublic: boolean;
  minRole: Role | undefined;
}

/**
 * Applied to every HTTP route: a route is protected unless marked @Public(); @Roles() raises the
 * minimum role above viewer. 401 without a valid token, 403 for a role too low.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AuthTokenService,
  ) {}

  /** By handler, then class (a handler inherited by two controllers may be decorated differently). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // the socket gateway authenticates its handshake
    const { isPublic, minRole } = this.routeAccess(context.getHandler(), context.getClass());
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const user = await this.tokens.verify(bearerToken(request.headers.authorization));
    if (!user) throw new UnauthorizedException('a valid access token is required');
    request.user = user;

    if (minRole && !roleAtLeast(user.role, minRole)) {
      throw new ForbiddenException(`this needs the ${minRole} role`);
    }
    return true;
  }

  private routeAccess(handler: object, controller: object): RouteAccess {
    let byClass = this.routes.get(handler);
    if (!byClass) this.routes.set(handler, (byClass = new WeakMap()));
    let access = byClass.get(controller);
    if (!access) {
      const targets = [handler as () => void, controller as new () => unknown];
      access = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)),
        minRole: this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE_KEY, targets),
      };
      byClass.set(controller, access);
    }
    return access;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
