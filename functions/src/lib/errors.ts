import { ErrorCodes, type ErrorCode, type FieldError } from '@hospital/shared';

/** An error the caller can act on; everything else becomes a 500 without details. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
    /** Extra members of the error body the client branches on (`ways`, `purpose`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const make = (code: keyof typeof ErrorCodes) => (message: string, fields?: FieldError[]) =>
  new HttpError(ErrorCodes[code], code, message, fields);

export const badRequest = make('VALIDATION_FAILED');
export const unauthenticated = make('UNAUTHENTICATED');
export const forbidden = make('FORBIDDEN');
export const notFound = make('NOT_FOUND');

/** 409 with a reason code the client can branch on (SLOT_FULL, ALREADY_BOOKED, …). */
export const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** A 400 naming one field. */
export const invalidField = (path: string, message: string) =>
  new HttpError(400, 'VALIDATION_FAILED', message, [{ path, message }]);

/** 429 with Retry-After (seconds). */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new HttpError(429, 'RATE_LIMITED', message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
