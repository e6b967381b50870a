// Every socket request that came with an ack callback gets an answer, also when it never reached
// its handler: a global pipe refused the payload (SafeJsonPipe: a `__proto__` key, nesting too
// deep) or something threw on the way. Refused input answers `{ok: false, error}` with the reason;
// anything else answers a plain `{ok: false, error: 'internal error'}` and is logged. A request
// without an ack gets Nest's own handling (an `exception` event).
import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseWsExceptionFilter, WsException } from '@nestjs/websockets';
import type { SubscribeAck, UnsubscribeAck } from '@taskdeck/contracts';

type Ack = (answer: SubscribeAck | UnsubscribeAck) => void;

@Catch()
export class LiveAckFilter extends BaseWsExceptionFilter {
  private readonly logger = new Logger(LiveAckFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    // Found the way Nest's @Ack() finds it: the one function among the handler's arguments.
    const ack = host.getArgs().find((arg): arg is Ack => typeof arg === 'function');
    if (!ack) return super.catch(exception, host);
    const refusal = refusalOf(exception);
    if (refusal === null) {
      this.logger.error(
        `a ${String(host.switchToWs().getPattern())} request failed`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    ack({ ok: false, error: refusal ?? 'internal error' });
  }
}

/** The reason given to the client for input refused on the way, or null for a server fault. */
function refusalOf(exception: unknown): string | null {
  if (exception instanceof WsException) {
    const error = exception.getError();
    return typeof error === 'string' ? error : exception.message;
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
  return null;
}
