// Slow clients must not slow the task or the other clients: what waits for a socket is bounded.
// A socket whose queue stays over the bound past a grace period (or over twice the bound at once)
// has its connection closed with a logged reason; socket.io-client reconnects and resumes from
// its last seq, losing nothing.
import { Logger } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';

/** Packets (log batches) queued for one socket before it counts as slow. */
export const SLOW_CLIENT_MAX_PACKETS = 200;
/** Bytes buffered in the WebSocket before it counts as slow. */
export const SLOW_CLIENT_MAX_BYTES = 16 * 1024 * 1024;
export const SLOW_CLIENT_GRACE_MS = 5_000;

interface EngineSocket {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: number } };
  close(): void;
}

export class SlowClientGuard {
  private readonly logger = new Logger('SlowClientGuard');
  private readonly overSince = new Map<string, number>();

  constructor(
    private readonly maxPackets = SLOW_CLIENT_MAX_PACKETS,
    private readonly maxBytes = SLOW_CLIENT_MAX_BYTES,
    private readonly graceMs = SLOW_CLIENT_GRACE_MS,
  ) {}

  checkRoom(server: Namespace, room: string): void {
    const members = server.adapter.rooms.get(room);
    if (!members) return;
    for (const id of members) {
      const socket = server.sockets.get(id);
      if (socket) this.check(socket);
    }
  }

  check(socket: Socket): void {
    const conn = socket.conn as unknown as EngineSocket;
    const packets = conn.writeBuffer?.length ?? 0;
    const bytes = conn.transport?.socket?.bufferedAmount ?? 0;
    const over = Math.max(packets / this.maxPackets, bytes / this.maxBytes);
    if (over <= 1) {
      this.overSince.delete(socket.id);
      return;
    }
    const now = Date.now();
    const since = this.overSince.get(socket.id) ?? now;
    this.overSince.set(socket.id, since);
    if (over > 2 || now - since > this.graceMs) {
      this.logger.warn(
        `closing a slow client (${socket.id}, user ${String((socket.data as { user?: { username?: string } }).user?.username)}): ` +
          `${packets} packets and ${bytes} bytes waiting for more than it can take`,
      );
      this.overSince.delete(socket.id);
      conn.close();
    }
  }

  forget(socketId: string): void {
    this.overSince.delete(socketId);
  }
}
