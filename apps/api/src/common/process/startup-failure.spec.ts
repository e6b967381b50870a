import { InvalidSettingError } from '../../config/env';
import { EmbeddedPostgresError } from '../../database/embedded-postgres-error';
import { describeStartupFailure } from './startup-failure';

function errno(code: string, message = ''): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeStartupFailure', () => {
  it('never says "undefined" for a value without a message, and names the step', () => {
    for (const thrown of [undefined, null, new Error(''), {}, 'x']) {
      const text = describeStartupFailure(thrown, { step: 'starting the embedded PostgreSQL' });
      expect(text).not.toMatch(/^undefined|: undefined$/);
      expect(text).toContain('while starting the embedded PostgreSQL');
    }
  });

  it('passes on the messages that already name the cause and the remedy', () => {
    const setting = new InvalidSettingError('PORT', 'x', 'an integer from 0 to 65535');
    expect(describeStartupFailure(setting, { step: 'reading the settings' })).toBe(setting.message);
    const pg = new EmbeddedPostgresError('exited while starting', 'Do this.', ['FATAL: it broke']);
    expect(describeStartupFailure(pg, { step: 'x' })).toContain('FATAL: it broke');
  });

  it('names the port in use, the unreachable database and the refused credentials', () => {
    expect(
      describeStartupFailure(errno('EADDRINUSE', 'listen EADDRINUSE'), {
        step: 'listening',
        port: 3000,
      }),
    ).toBe('port 3000 is already in use. Stop what listens there, or set PORT to another port.');
    expect(
      describeStartupFailure(errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433'), {
        step: 'connecting to the database',
        database: 'external',
      }),
    ).toMatch(/cannot reach the PostgreSQL of DATABASE_URL .*Check that it runs/);
    expect(
      describeStartupFailure(errno('28P01', 'password authentication failed for user "x"'), {
        step: 'connecting to the database',
      }),
    ).toMatch(/refused the credentials .*DATABASE_URL/);
  });
});
