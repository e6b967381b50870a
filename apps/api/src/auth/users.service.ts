import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Role, User } from '@taskdeck/contracts';
import { Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { hashPassword } from './password-hasher';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    username: entity.username,
    role: entity.role,
    createdAt: entity.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

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
}
