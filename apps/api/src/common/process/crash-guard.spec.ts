import { Logger } from '@nestjs/common';
import { Subject } from 'rxjs';
import { installCrashGuards, reportEscapedError } from './crash-guard';

function recordingLogger(): { logger: Logger; lines: { message: string; stack?: string }[] } {
  const lines: { message: string; stack?: string }[] = [];
  const logger = new Logger('test');
  jest
    .spyOn(logger, 'error')
    .mockImplementation((message: unknown, stack?: unknown) =>
      lines.push({ message: String(message), stack: stack as string | undefined }),
    );
  return { logger, lines };
}

describe('crash guard', () => {
  it('names the origin and the error, with its stack', () => {
    const { logger, lines } = recordingLogger();
    reportEscapedError(logger, 'uncaught exception', new TypeError('boom'));
    reportEscapedError(logger, 'unhandled rejection', undefined);
    reportEscapedError(logger, 'unhandled rejection', { code: 7 });
    expect(lines[0].message).toBe('uncaught exception, the server keeps running: TypeError: boom');
    expect(lines[0].stack).toContain('crash-guard.spec');
    expect(lines[1].message).toBe(
      'unhandled rejection, the server keeps running: a non-Error value: undefined',
    );
    expect(lines[2].message).toContain('{"code":7}');
  });

  it('logs an error thrown inside an RxJS subscriber instead of rethrowing it', async () => {
    const { logger, lines } = recordingLogger();
    const remove = installCrashGuards(logger);
    try {
      const subject = new Subject<number>();
      subject.subscribe(() => {
        throw new Error('subscriber failed');
      });
      subject.next(1);
      // RxJS reports it from a timer, after the emitting call returned.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines.map((l) => l.message)).toEqual([
        'RxJS subscriber error, the server keeps running: Error: subscriber failed',
      ]);
    } finally {
      remove();
    }
  });
});
