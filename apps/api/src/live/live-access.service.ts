// Who is on each socket, kept current after the handshake (docs/api.md "Live stream"): a revoked
// user's sockets (disabled, deleted, or a password set by an admin) are disconnected at once, and a
// role change reaches the user's open sockets, so that what a socket may do follows the user's
// role now, as on HTTP. Every instance acts on its own sockets: UserAccessEvents reach them all.
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Role } from '@taskdeck/contracts';
import type { Subscription } from 'rxjs';
import { AuthTokenService } from '../auth/auth-token.service';
import { handshakeToken } from '../auth/socket-auth.middleware';
import { UserAccessEvents, type RevokeReason } from '../auth/user-access-events.service';
import type { AuthUser } from '../common/decorators/current-user.decorator';
import type { LiveNamespace, LiveSocket } from './live-socket';

/** The room of a user's sockets. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

@Injectable()
export class LiveAccess implements OnModuleDestroy {
  private readonly logger = new Logger(LiveAccess.name);
  private readonly streams: Subscription[] = [];
  /** Per socket, the number of its latest check: the answer of an older one is stale. */
  private readonly checks = new WeakMap<LiveSocket, number>();
  private namespace: LiveNamespace | null = null;

  constructor(
    private readonly tokens: AuthTokenService,
    private readonly events: UserAccessEvents,
  ) {}

  /** Starts watching account changes (the gateway calls it once the server exists). */
  start(namespace: LiveNamespace): void {
    this.namespace = namespace;
    this.streams.push(
      this.events.revoked$.subscribe(({ userId, reason }) => this.revoke(userId, reason)),
      this.events.roleChanged$.subscribe(({ userId, role }) => this.changeRole(userId, role)),
      this.events.resync$.subscribe(() => this.checkAll()),
    );
  }

  onModuleDestroy(): void {
    for (const stream of this.streams) stream.unsubscribe();
  }

  /**
   * A socket whose handshake passed joins its user's room, and its token is checked once more: a
   * change stored while the handshake read the user was announced before the socket could be
   * found in the room. From here on, announcements find it.
   */
  admit(socket: LiveSocket): void {
    const user = socket.data.user;
    if (!user) return;
    void socket.join(userRoom(user.id));
    void this.check(socket);
  }

  /** The user's open sockets on this instance. */
  socketsOf(userId: string): LiveSocket[] {
    const server = this.server();
    const ids = server.adapter.rooms.get(userRoom(userId)) ?? [];
    return [...ids].flatMap((id) => server.sockets.get(id) ?? []);
  }

  /** Every token issued before the change is dead: the sockets go, without waiting for a read. */
  private revoke(userId: string, reason: RevokeReason): void {
    const sockets = this.socketsOf(userId);
    if (!sockets.length) return;
    this.logger.log(`closing ${sockets.length} socket(s) of user ${userId}: ${reason}`);
    for (const socket of sockets) socket.disconnect(true);
  }

  /**
   * The new role at once; then the user is read again, which settles two changes made at the
   * same time on two instances, whose events may arrive here in either order.
   */
  private changeRole(userId: string, role: Role): void {
    for (const socket of this.socketsOf(userId)) {
      const user = socket.data.user;
      if (user) socket.data.user = { ...user, role };
      void this.check(socket);
    }
  }

  /** Messages were lost: any of them may have been about a user here. */
  private checkAll(): void {
    for (const socket of this.server().sockets.values()) void this.check(socket);
  }

  /**
   * Reads the socket's user afresh through its handshake token, as an HTTP request would be read:
   * a token that no longer passes (user deleted or disabled, sessions ended, or the token expired
   * since the handshake) closes the socket; otherwise the socket's user is the user now.
   */
  private async check(socket: LiveSocket): Promise<void> {
    const check = (this.checks.get(socket) ?? 0) + 1;
    this.checks.set(socket, check);
    let user: AuthUser | null;
    try {
      user = await this.tokens.verify(handshakeToken(socket));
    } catch (error) {
      // The database is away: the socket keeps the user it has; the next change checks again.
      this.logger.warn(
        `could not check the user of socket ${socket.id}: ${(error as Error).message}`,
      );
      return;
    }
    if (this.checks.get(socket) !== check || !socket.connected) return;
    if (user) {
      socket.data.user = user;
      return;
    }
    this.logger.log(`closing socket ${socket.id}: its token no longer admits it`);
    socket.disconnect(true);
  }

  private server(): LiveNamespace {
    if (!this.namespace) throw new Error('the live stream has not started');
    return this.namespace;
  }
}
