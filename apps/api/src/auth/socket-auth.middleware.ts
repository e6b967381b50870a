// Socket.IO handshakes are authenticated like HTTP requests: the same access token, checked by the
// same AuthTokenService, given as `auth.token`. A missing or bad token fails the handshake with
// connect_error "Unauthorized"; a good one puts the user on socket.data. The live stream keeps
// that user current afterwards (live/live-access.service.ts).
import type { AuthUser } from '../common/decorators/current-user.decorator';
import type { AuthTokenService } from './auth-token.service';

/** What a handshake that passed leaves on the socket. */
export interface AuthenticatedSocketData {
  user?: AuthUser;
}

/** The part of a Socket.IO socket that the middleware reads and writes. */
interface HandshakingSocket {
  readonly handshake: { readonly auth: Record<string, unknown> };
  data: AuthenticatedSocketData;
}

/** The access token a socket presented in its handshake, or null. */
export function handshakeToken(socket: Pick<HandshakingSocket, 'handshake'>): string | null {
  const token = socket.handshake.auth?.token;
  return typeof token === 'string' ? token : null;
}

/** A namespace middleware: `namespace.use(socketAuthMiddleware(tokens))`. */
export function socketAuthMiddleware(
  tokens: AuthTokenService,
): (socket: HandshakingSocket, next: (error?: Error) => void) => void {
  return (socket, next) => {
    tokens
      .verify(handshakeToken(socket))
      .then((user) => {
        if (!user) return next(new Error('Unauthorized'));
        socket.data.user = user;
        next();
      })
      .catch(() => next(new Error('Unauthorized')));
  };
}
