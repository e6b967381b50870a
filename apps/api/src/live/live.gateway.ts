// The Socket.IO edge of the live stream: namespace /tasks, typed with the contract's event maps.
// Handshakes go through the auth middleware, and LiveAccess keeps each socket's user current;
// subscriptions are the LiveStream's. Every request with an ack gets one (LiveAckFilter). CORS is
// the server's (CORS_ORIGINS, set in app-setup.ts), not declared here.
import { UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  SocketEvents,
  TASKS_NAMESPACE,
  type SubscribeAck,
  type UnsubscribeAck,
} from '@taskdeck/contracts';
import { AuthTokenService } from '../auth/auth-token.service';
import { socketAuthMiddleware } from '../auth/socket-auth.middleware';
import { LiveAccess } from './live-access.service';
import { LiveAckFilter } from './live-ack.filter';
import type { LiveNamespace, LiveSocket } from './live-socket';
import { LiveStream } from './live-stream.service';

@WebSocketGateway({ namespace: TASKS_NAMESPACE })
@UseFilters(new LiveAckFilter())
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly tokens: AuthTokenService,
    private readonly access: LiveAccess,
    private readonly stream: LiveStream,
  ) {}

  afterInit(server: LiveNamespace): void {
    server.use(socketAuthMiddleware(this.tokens));
    this.access.start(server);
    this.stream.start(server);
  }

  handleConnection(socket: LiveSocket): void {
    if (!socket.data.user) {
      socket.disconnect(true);
      return;
    }
    this.access.admit(socket);
    this.stream.connect(socket);
  }

  handleDisconnect(socket: LiveSocket): void {
    this.stream.disconnect(socket);
  }

  @SubscribeMessage(SocketEvents.subscribe)
  onSubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    return this.stream.subscribe(socket, body);
  }

  @SubscribeMessage(SocketEvents.unsubscribe)
  onUnsubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): UnsubscribeAck {
    return this.stream.unsubscribe(socket, body);
  }
}
