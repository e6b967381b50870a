// Adds the bearer token to API calls; a 401 (other than a failed login) signs the user out and
// sends them to the login page, which says the session ended and brings them back afterwards.
import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { Auth } from './auth';

export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(Auth);
  const router = inject(Router);
  const token =
    request.url.startsWith('/api/') && !request.headers.has('Authorization') ? auth.token : null;
  const sent = token
    ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } })
    : request;
  return next(sent).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        !request.url.endsWith('/api/auth/login')
      ) {
        auth.logout(router.url, 'ended');
      }
      return throwError(() => error);
    }),
  );
};
