// The signed-in user and their access token, kept in localStorage across reloads until the token's
// own `exp` claim says it has expired. Shortly before that the token is renewed (POST
// /api/auth/refresh); when renewal is refused, or the token expires anyway, the user is sent to the
// login page with a message saying why — never a silent failure.
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { roleAtLeast, type LoginResponse, type Me, type Role } from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';

export const SESSION_STORAGE_KEY = 'taskdeck.session';

export interface Session {
  token: string;
  user: Me;
  /** Epoch ms at which the token expires (its `exp` claim). */
  expiresAt: number;
}

/** Why the user was sent to the login page; the login page says so. */
export type SignOutReason = 'expired' | 'ended';

/** Renewal starts this long before expiry at most (a tenth of the lifetime for short tokens). */
const RENEW_AHEAD_MS = 5 * 60_000;
/** A renewal that failed for another reason than a refusal (network) is tried again this often. */
const RENEW_RETRY_MS = 30_000;

function claims(token: string): { exp?: unknown; iat?: unknown } {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    return JSON.parse(json) as { exp?: unknown; iat?: unknown };
  } catch {
    return {};
  }
}

/** Reads the `exp` claim of a JWT; 0 when the token cannot be read (treated as expired). */
export function tokenExpiry(token: string): number {
  const { exp } = claims(token);
  return typeof exp === 'number' ? exp * 1000 : 0;
}

/** Milliseconds from `now` until the token should be renewed (0: now). */
export function renewalDelay(token: string, now: number): number {
  const { exp, iat } = claims(token);
  if (typeof exp !== 'number') return 0;
  const lifetime = typeof iat === 'number' ? (exp - iat) * 1000 : RENEW_AHEAD_MS * 10;
  const ahead = Math.min(RENEW_AHEAD_MS, lifetime / 10);
  return Math.max(0, exp * 1000 - ahead - now);
}

function stored(): Session | null {
  try {
    const session = JSON.parse(
      localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null',
    ) as Session | null;
    return session && typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
}

@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly kept = stored();
  private readonly session = signal<Session | null>(
    this.kept && this.kept.expiresAt > Date.now() ? this.kept : null,
  );
  /** A session kept from an earlier visit had expired: the login page says so. */
  readonly expiredOnLoad = this.kept !== null && this.session() === null;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly signedIn = computed(() => this.session() !== null);

  constructor() {
    const session = this.session();
    if (session) this.watchExpiry(session);
  }

  /** The bearer token, or null when signed out or expired. */
  get token(): string | null {
    const session = this.session();
    if (session && session.expiresAt <= Date.now()) {
      this.clear();
      return null;
    }
    return session?.token ?? null;
  }

  /** True when the signed-in user has `role` or a higher one. */
  can(role: Role): boolean {
    const user = this.user();
    return user !== null && roleAtLeast(user.role, role);
  }

  async login(username: string, password: string): Promise<Me> {
    const answer = await firstValueFrom(
      this.http.post<LoginResponse>('/api/auth/login', { username, password }),
    );
    this.start(answer);
    return answer.user;
  }

  /**
   * Signs out; with `returnUrl` the login page brings the user back there afterwards, and with
   * `reason` it says why the session ended.
   */
  logout(returnUrl?: string, reason?: SignOutReason): void {
    this.clear();
    const back =
      returnUrl && returnUrl.startsWith('/') && !returnUrl.startsWith('/login') ? returnUrl : null;
    void this.router.navigate(['/login'], {
      queryParams: { ...(back ? { returnUrl: back } : {}), ...(reason ? { reason } : {}) },
    });
  }

  private start(answer: LoginResponse): void {
    const session: Session = {
      token: answer.accessToken,
      user: answer.user,
      expiresAt: tokenExpiry(answer.accessToken),
    };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    this.session.set(session);
    this.watchExpiry(session);
  }

  private watchExpiry(session: Session): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    // setTimeout overflows past ~24.8 days; such a token is re-checked on every `token` read anyway.
    const delay = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(
      () => {
        if (this.session() === session) this.logout(this.router.url, 'expired');
      },
      Math.max(0, delay),
    );
    this.scheduleRenewal(session, renewalDelay(session.token, Date.now()));
  }

  private scheduleRenewal(session: Session, delay: number): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.renew(session), Math.min(delay, 2 ** 31 - 1));
  }

  private async renew(session: Session): Promise<void> {
    if (this.session() !== session) return;
    try {
      const answer = await firstValueFrom(
        this.http.post<LoginResponse>(
          '/api/auth/refresh',
          {},
          {
            headers: { Authorization: `Bearer ${session.token}` },
          },
        ),
      );
      if (this.session() === session) this.start(answer);
    } catch (error) {
      if (this.session() !== session) return;
      if (error instanceof HttpErrorResponse && error.status === 401) {
        this.logout(this.router.url, 'ended');
      } else if (session.expiresAt - Date.now() > RENEW_RETRY_MS) {
        this.scheduleRenewal(session, RENEW_RETRY_MS); // the expiry timer still signs out in time
      }
    }
  }

  private clear(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    this.expiryTimer = null;
    localStorage.removeItem(SESSION_STORAGE_KEY);
    this.session.set(null);
  }
}
