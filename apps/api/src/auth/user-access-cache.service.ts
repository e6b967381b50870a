// What every authenticated request needs to know about its user — still there, enabled, which
// role, which token version — without a database query per request: an in-memory map filled on
// first use and emptied for a user by UserAccessEvents (on every instance), and wholly when
// messages from another instance were lost. An entry also expires after ENTRY_TTL_MS, which
// bounds how long a missed cross-instance message can matter when no later one reveals the loss.
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Role } from '@taskdeck/contracts';
import type { Subscription } from 'rxjs';
import { Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { UserAccessEvents } from './user-access-events.service';

export const ENTRY_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface UserAccess {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  tokenVersion: number;
}

@Injectable()
export class UserAccessCache implements OnModuleDestroy {
  /** By user id; null: no such user (a deleted user's token must not query on every request). */
  private readonly entries = new Map<string, { access: UserAccess | null; loadedAt: number }>();
  private readonly subscriptions: Subscription[];
  /** Raised by every forget(): a read that overlapped one may hold older state, so is not kept. */
  private epoch = 0;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    events: UserAccessEvents,
  ) {
    // Subscribed at construction, before anyone else can be (the live stream subscribes when its
    // gateway starts): whoever reads a user on one of these events reads it afresh.
    this.subscriptions = [
      events.events$.subscribe((event) => this.forget(event.userId)),
      events.resync$.subscribe(() => this.forgetAll()),
    ];
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  async get(userId: string): Promise<UserAccess | null> {
    const cached = this.entries.get(userId);
    if (cached && Date.now() - cached.loadedAt < ENTRY_TTL_MS) return cached.access;
    const epoch = this.epoch;
    const loadedAt = Date.now();
    const row = await this.users.findOne({
      where: { id: userId },
      select: { id: true, username: true, role: true, disabled: true, tokenVersion: true },
    });
    const access = row
      ? {
          id: row.id,
          username: row.username,
          role: row.role,
          disabled: row.disabled,
          tokenVersion: row.tokenVersion,
        }
      : null;
    if (epoch === this.epoch) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(userId, { access, loadedAt });
    }
    return access;
  }

  forget(userId: string): void {
    this.epoch++;
    this.entries.delete(userId);
  }

  forgetAll(): void {
    this.epoch++;
    this.entries.clear();
  }
}
