// Domain events of account access, raised after the change is stored: a user's sessions were
// revoked (disabled, deleted, or a new password set by an admin), their role changed, or a disabled
// user was enabled again (old sessions stay revoked; new logins work). Every
// instance receives them (relayed over the ClusterBus): the HTTP user cache drops its entry, and
// the live stream disconnects the user's sockets or applies the new role to them. When messages
// from another instance were lost on the way, resync$ says so: what was built from the events
// must be read again.
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { isRole, type Role } from '@taskdeck/contracts';
import { Subject, filter, type Observable, type Subscription } from 'rxjs';
import { ClusterBus } from '../cluster/cluster-bus.service';

export const USER_ACCESS_MESSAGE = 'auth.user-access';

export const REVOKE_REASONS = ['disabled', 'deleted', 'password-reset'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export interface UserRevokedEvent {
  type: 'revoked';
  userId: string;
  reason: RevokeReason;
}

export interface UserRoleChangedEvent {
  type: 'role-changed';
  userId: string;
  role: Role;
}

export interface UserEnabledEvent {
  type: 'enabled';
  userId: string;
}

export type UserAccessEvent = UserRevokedEvent | UserRoleChangedEvent | UserEnabledEvent;

export function isUserAccessEvent(value: unknown): value is UserAccessEvent {
  if (!value || typeof value !== 'object') return false;
  const event = value as { type?: unknown; userId?: unknown; reason?: unknown; role?: unknown };
  if (typeof event.userId !== 'string') return false;
  if (event.type === 'revoked') {
    return (REVOKE_REASONS as readonly unknown[]).includes(event.reason);
  }
  if (event.type === 'enabled') return true;
  return event.type === 'role-changed' && isRole(event.role);
}

@Injectable()
export class UserAccessEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UserAccessEvents.name);
  private readonly events = new Subject<UserAccessEvent>();
  private relay?: Subscription;

  /** Every event, from this instance and the others. */
  readonly events$: Observable<UserAccessEvent> = this.events.asObservable();
  readonly revoked$ = this.events$.pipe(filter((e): e is UserRevokedEvent => e.type === 'revoked'));
  readonly roleChanged$ = this.events$.pipe(
    filter((e): e is UserRoleChangedEvent => e.type === 'role-changed'),
  );
  /**
   * Messages from another instance were lost on the way (ClusterBus gaps), perhaps some of these
   * events among them: every user's access must be read again from the database.
   */
  readonly resync$: Observable<void>;

  constructor(private readonly cluster: ClusterBus) {
    this.resync$ = cluster.gaps$;
  }

  onModuleInit(): void {
    this.relay = this.cluster.on<unknown>(USER_ACCESS_MESSAGE).subscribe((message) => {
      if (message.from === this.cluster.instanceId) return; // raised here: already delivered
      if (isUserAccessEvent(message.data)) this.events.next(message.data);
      else this.logger.warn('ignored a malformed user access message');
    });
  }

  onModuleDestroy(): void {
    this.relay?.unsubscribe();
    this.events.complete();
  }

  /** Delivers on this instance at once, then tells the others. Call after the change is stored. */
  async raise(event: UserAccessEvent): Promise<void> {
    this.events.next(event);
    await this.cluster.publish(USER_ACCESS_MESSAGE, event).catch((error: Error) => {
      // The others' caches expire their entries (UserAccessCache TTL); say so.
      this.logger.warn(`could not tell the other instances about ${event.type}: ${error.message}`);
    });
  }
}
