import { registerAs } from '@nestjs/config';
import { envString, InvalidSettingError } from './env';

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
  };
});
