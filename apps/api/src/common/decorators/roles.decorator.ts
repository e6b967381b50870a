import { SetMetadata } from '@nestjs/common';
import type { Role } from '@taskdeck/contracts';

export const MIN_ROLE_KEY = 'taskdeck:minRole';

/** The lowest role allowed on a route or controller; without it, any signed-in role (viewer). */
export const Roles = (minRole: Role) => SetMetadata(MIN_ROLE_KEY, minRole);
