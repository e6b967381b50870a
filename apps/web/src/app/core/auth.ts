// The signed-in user and their access token, kept in localStorage across reloads until the token's
// own `exp` claim says it has expired.
import { HttpClient } from '@angular/common/http';
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

/** Reads the `exp` claim of a JWT; 0 when the token cannot be read (treated as expired). */
export function tokenExpiry(token: string): number {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function restore(): Session | null {
  try {
    const stored = JSON.parse(
      localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null',
    ) as Session | null;
    return stored && typeof stored.token === 'string' && stored.expiresAt > Date.now()
      ? stored
      : null;
  } catch {
    return null;
  }
}

@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly session = signal<Session | null>(restore());
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;

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
    const session: Session = {
      token: answer.accessToken,
      user: answer.user,
      expiresAt: tokenExpiry(answer.accessToken),
    };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    this.session.set(session);
    this.watchExpiry(session);
    return answer.user;
  }

  /** Signs out; with `returnUrl` the login page brings the user back there afterwards. */
  logout(returnUrl?: string): void {
    this.clear();
    const back =
      returnUrl && returnUrl.startsWith('/') && !returnUrl.startsWith('/login') ? returnUrl : null;
    void this.router.navigate(['/login'], { queryParams: back ? { returnUrl: back } : {} });
  }

  private watchExpiry(session: Session): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    // setTimeout overflows past ~24.8 days; such a token is re-checked on every `token` read anyway.
    const delay = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(
      () => {
        if (this.session() === session) this.logout(this.router.url);
      },
      Math.max(0, delay),
    );
  }

  private clear(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    localStorage.removeItem(SESSION_STORAGE_KEY);
    this.session.set(null);
  }
}
