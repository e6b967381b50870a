import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError } from '@taskdeck/contracts';

/** What the server said when a request failed, for showing next to the thing that failed. */
export function errorText(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const body = error.error as Partial<ApiError> | null;
    const message = body && typeof body === 'object' ? body.message : undefined;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string' && message) return message;
    if (error.status === 0) return 'The server cannot be reached.';
    return `${error.status} ${error.statusText || 'error'}`;
  }
  return error instanceof Error ? error.message : String(error);
}
