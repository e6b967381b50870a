import { registerAs } from '@nestjs/config';
import { envInt, envString, InvalidSettingError } from './env';

export const authConfig = registerAs('auth', () => {
  const jwtSecret = envString(process.env, 'JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new InvalidSettingError('JWT_SECRET', '<hidden>', 'at least 32 characters');
  }
  const expiresIn = envString(process.env, 'JWT_EXPIRES_IN', '12h');
  if (!/^\d+[smhd]$/.test(expiresIn)) {
    throw new InvalidSettingError(
      'JWT_EXPIRES_IN',
      expiresIn,
      'a duration like 900s, 30m, 12h or 7d',
    );
  }
  return {
    /** From JWT_SECRET, or generated once and kept in the data directory. */
    jwtSecret,
    jwtExpiresIn: expiresIn as `${number}${'s' | 'm' | 'h' | 'd'}`,
    adminUsername: envString(process.env, 'ADMIN_USERNAME', 'admin'),
    adminPassword: envString(process.env, 'ADMIN_PASSWORD'),
    /** Failed logins per username within the window before it is blocked for the window. */
    loginMaxFailuresPerUser: envInt(process.env, 'LOGIN_MAX_FAILURES_PER_USER', 10, 1, 10_000),
    /** Failed logins per client IP within the window (any usernames). */
    loginMaxFailuresPerIp: envInt(process.env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100_000),
    loginWindowSeconds: envInt(process.env, 'LOGIN_THROTTLE_WINDOW_SECONDS', 900, 1, 86_400),
  };
});
