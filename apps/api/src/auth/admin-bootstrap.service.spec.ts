import { ConflictException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../config';
import { AdminBootstrapService } from './admin-bootstrap.service';
import type { UsersService } from './users.service';

function usersWith(
  create: (username: string, password: string, role: string) => Promise<unknown>,
  admins = 0,
) {
  return {
    countByRole: jest.fn(() => Promise.resolve(admins)),
    findByUsername: jest.fn(() => Promise.resolve(null)),
    create: jest.fn(create),
  };
}

function service(users: ReturnType<typeof usersWith>, adminPassword?: string) {
  const config = { adminUsername: 'admin', adminPassword } as ConfigType<typeof authConfig>;
  return new AdminBootstrapService(users as unknown as UsersService, config);
}

describe('AdminBootstrapService', () => {
  let stdout: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  it('creates the admin and prints the generated password once', async () => {
    const users = usersWith(() => Promise.resolve({}));
    await service(users).onApplicationBootstrap();
    expect(users.create).toHaveBeenCalledWith('admin', expect.any(String), 'admin');
    const password = users.create.mock.calls[0][1];
    expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain(password);
  });

  it('does nothing when an admin exists', async () => {
    const users = usersWith(() => Promise.resolve({}), 1);
    await service(users).onApplicationBootstrap();
    expect(users.create).not.toHaveBeenCalled();
  });

  it('goes on quietly when another instance created the admin at the same moment', async () => {
    const users = usersWith(() =>
      Promise.reject(new ConflictException('username "admin" is taken')),
    );
    await expect(service(users).onApplicationBootstrap()).resolves.toBeUndefined();
    // The password that lost the race was never stored, so it is not printed.
    const printed = stdout.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).not.toContain(users.create.mock.calls[0][1]);
    expect(printed).toContain('created by another instance');
  });

  it('still fails the start on any other error', async () => {
    const users = usersWith(() => Promise.reject(new Error('connection reset')));
    await expect(service(users).onApplicationBootstrap()).rejects.toThrow('connection reset');
  });
});
