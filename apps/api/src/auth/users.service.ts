import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Role, UpdateUserRequest, User } from '@taskdeck/contracts';
import { Repository, type EntityManager } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { hashPassword } from './password-hasher';
import { UserAccessEvents, type UserAccessEvent } from './user-access-events.service';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    username: entity.username,
    role: entity.role,
    disabled: entity.disabled,
    createdAt: entity.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly events: UserAccessEvents,
  ) {}

  async create(username: string, password: string, role: Role): Promise<User> {
    const passwordHash = await hashPassword(password);
    try {
      const saved = await this.users.save(this.users.create({ username, passwordHash, role }));
      return toUser(saved);
    } catch (error) {
      // 23505: unique_violation on lower(username).
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`username "${username}" is taken`);
      }
      throw error;
    }
  }

  async list(): Promise<User[]> {
    const rows = await this.users.find({ order: { createdAt: 'ASC' } });
    return rows.map(toUser);
  }

  /**
   * An admin's change. A new password or disabling raises the token version, so the user's tokens
   * stop working at once; the last enabled admin cannot be demoted or disabled (409). Events are
   * raised after the commit.
   */
  async update(id: string, patch: UpdateUserRequest): Promise<User> {
    const passwordHash =
      patch.password === undefined ? undefined : await hashPassword(patch.password);
    const { user, events } = await this.users.manager.transaction(async (manager) => {
      const found = await this.lock(manager, id);
      const raised: UserAccessEvent[] = [];
      const losesAdmin =
        found.role === 'admin' &&
        !found.disabled &&
        ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) await this.keepAnAdmin(manager, id, 'demoted or disabled');
      if (patch.role !== undefined && patch.role !== found.role) {
        found.role = patch.role;
        raised.push({ type: 'role-changed', userId: id, role: patch.role });
      }
      if (patch.disabled === true && !found.disabled) {
        found.tokenVersion++;
        raised.push({ type: 'revoked', userId: id, reason: 'disabled' });
      }
      if (patch.disabled === false && found.disabled) {
        raised.push({ type: 'enabled', userId: id });
      }
      if (patch.disabled !== undefined) found.disabled = patch.disabled;
      if (passwordHash !== undefined) {
        found.passwordHash = passwordHash;
        found.tokenVersion++;
        raised.push({ type: 'revoked', userId: id, reason: 'password-reset' });
      }
      return { user: await manager.save(found), events: raised };
    });
    for (const event of events) await this.events.raise(event);
    return toUser(user);
  }

  /** Deletes a user (409 for the last enabled admin); their tokens stop working at once. */
  async remove(id: string): Promise<void> {
    await this.users.manager.transaction(async (manager) => {
      const found = await this.lock(manager, id);
      if (found.role === 'admin' && !found.disabled) await this.keepAnAdmin(manager, id, 'deleted');
      await manager.delete(UserEntity, { id });
    });
    await this.events.raise({ type: 'revoked', userId: id, reason: 'deleted' });
  }

  /** The user's own change: their current sessions go on. */
  async setOwnPassword(id: string, password: string): Promise<void> {
    await this.users.update({ id }, { passwordHash: await hashPassword(password) });
  }

  /** Case-insensitive, as the unique index is. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  async countByRole(role: Role): Promise<number> {
    return this.users.countBy({ role });
  }

  private async lock(manager: EntityManager, id: string): Promise<UserEntity> {
    const found = await manager.findOne(UserEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!found) throw new NotFoundException(`user ${id} not found`);
    return found;
  }

  /** Locks the enabled admins, so two concurrent changes cannot remove the last two at once. */
  private async keepAnAdmin(manager: EntityManager, id: string, what: string): Promise<void> {
    const admins = await manager.find(UserEntity, {
      where: { role: 'admin', disabled: false },
      select: { id: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (admins.every((admin) => admin.id === id)) {
      throw new ConflictException(`the last enabled admin cannot be ${what}`);
    }
  }
}
