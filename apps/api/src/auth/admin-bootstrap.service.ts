import { randomBytes } from 'node:crypto';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config';
import { UsersService } from './users.service';

/**
 * Makes sure an admin exists. With ADMIN_PASSWORD unset, a password is generated and printed once
 * on the console (straight to stdout, never through the logger, so it reaches no log file); only
 * its hash is stored. Instances that start at once on a fresh database race for it: the unique
 * index on the username lets one win, and the others see a conflict and go on without an error.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly users: UsersService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.countByRole('admin')) > 0) return;
    const username = this.config.adminUsername;
    if (await this.users.findByUsername(username)) {
      this.logger.warn(`no admin exists and the name "${username}" is taken by a lower role`);
      return;
    }
    const generated = !this.config.adminPassword;
    const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
    try {
      await this.users.create(username, password, 'admin');
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      this.logger.log(
        `the admin user "${username}" was created by another instance starting at the same time`,
      );
      return;
    }
    this.logger.log(`created the admin user "${username}"`);
    if (generated) {
      process.stdout.write(
        `\n  Taskdeck admin account created\n    username: ${username}\n    password: ${password}\n` +
          `  This password is shown once. Set ADMIN_PASSWORD to choose your own.\n\n`,
      );
    }
  }
}
