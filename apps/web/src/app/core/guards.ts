import { inject } from '@angular/core';
import { Router, type CanActivateFn, type CanMatchFn } from '@angular/router';
import type { Role } from '@taskdeck/contracts';
import { Auth } from './auth';

/** Signed-in users only; others go to the login page (told why if the session expired) and back. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(Auth);
  if (auth.token) return true;
  const reason = auth.expiredOnLoad ? { reason: 'expired' } : {};
  return inject(Router).createUrlTree(['/login'], {
    queryParams: { returnUrl: state.url, ...reason },
  });
};

/** Users with `role` or higher; others land on the task list. */
export function roleGuard(role: Role): CanActivateFn & CanMatchFn {
  return () => (inject(Auth).can(role) ? true : inject(Router).createUrlTree(['/tasks']));
}
