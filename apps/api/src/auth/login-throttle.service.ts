// Login throttling (rate-limiter-flexible): failed logins are counted per username and per client
// IP within a window; past the limit that key is blocked for the rest of the window and further
// attempts get 429 with Retry-After, whatever the password. A successful login resets the user's
// count; the IP's count only expires, so one account of one's own cannot be used to keep guessing
// others from the same address. Counters are per instance (in memory).
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { authConfig } from '../config';

export class TooManyLoginAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `too many failed logins; try again in ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

@Injectable()
export class LoginThrottle {
  private readonly byUser: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    const window = config.loginWindowSeconds;
    this.byUser = new RateLimiterMemory({
      keyPrefix: 'login-user',
      points: config.loginMaxFailuresPerUser,
      duration: window,
      blockDuration: window,
    });
    this.byIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: config.loginMaxFailuresPerIp,
      duration: window,
      blockDuration: window,
    });
  }

  /** Throws 429 when the user or the IP is blocked. */
  async check(username: string, ip: string): Promise<void> {
    const [user, address] = await Promise.all([
      this.byUser.get(userKey(username)),
      this.byIp.get(ip),
    ]);
    const blocked = [
      [user, this.byUser.points],
      [address, this.byIp.points],
    ] as const;
    const wait = Math.max(
      0,
      ...blocked.map(([res, points]) =>
        res && res.consumedPoints >= points ? res.msBeforeNext : 0,
      ),
    );
    if (wait > 0) throw new TooManyLoginAttemptsException(Math.max(1, Math.ceil(wait / 1000)));
  }

  async failed(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.byUser.consume(userKey(username)).catch(ignoreLimit),
      this.byIp.consume(ip).catch(ignoreLimit),
    ]);
  }

  async succeeded(username: string): Promise<void> {
    await this.byUser.delete(userKey(username));
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}

/** consume() rejects with the limiter's state once over the limit; that is what check() reads. */
function ignoreLimit(result: unknown): void {
  if (!(result instanceof RateLimiterRes)) throw result;
}
