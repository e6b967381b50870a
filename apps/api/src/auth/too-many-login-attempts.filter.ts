import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { TooManyLoginAttemptsException } from './login-throttle.service';

/** A throttled login answers 429 with Retry-After (seconds), in Nest's error shape. */
@Catch(TooManyLoginAttemptsException)
export class TooManyLoginAttemptsFilter implements ExceptionFilter {
  catch(exception: TooManyLoginAttemptsException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(exception.getStatus())
      .setHeader('Retry-After', String(exception.retryAfterSeconds))
      .json({
        statusCode: exception.getStatus(),
        error: 'Too Many Requests',
        message: exception.message,
      });
  }
}
