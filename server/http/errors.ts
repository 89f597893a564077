// The few typed errors a service may throw, and the one place that maps every error to an HTTP
// problem+json answer (RFC 9457). Anything unknown becomes a bare 500 with a request id, no stack.
import type { ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { InvalidProblemError, UnsolvableError } from '../../solver/errors.ts';
import { sqlState } from '../db/database.ts';

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * The machine-readable kind of every refusal, stable across wording changes of `detail` (which is for
 * people): clients branch on `code`, never on text.
 */
export const errorCodes = [
  'invalid-field',
  'not-signed-in',
  'forbidden',
  'not-found',
  'conflict',
  'not-enough-stock',
  'already-exists',
  'edited-meanwhile',
  'stale-plan',
  'recalled',
  'concurrent-change',
  'held-for-review',
  'in-progress',
  'answer-lost',
  'idempotency-key-reused',
  'cannot-be-done',
  'too-many-attempts',
  'busy',
  'not-open',
  'closed',
  'not-eligible',
  'over-limit',
  'too-large',
  'bad-request',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class ValidationError extends HttpError {
  constructor(readonly errors: FieldProblem[]) {
    super(400, 'invalid-field', 'Invalid input', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
  }
}

export const invalidField = (field: string, reason: string) => new ValidationError([{ field, reason }]);

export class UnauthenticatedError extends HttpError {
  constructor(detail = 'sign in first: send "Authorization: Bearer <token>"') {
    super(401, 'not-signed-in', 'Not signed in', detail);
  }
}

export class ForbiddenError extends HttpError {
  constructor(detail: string, field?: string) {
    super(403, 'forbidden', 'Forbidden', detail, field ? { errors: [{ field, reason: detail }] } : {});
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id: string | number, field?: string) {
    super(404, 'not-found', 'Not found', `${what} ${id} does not exist`, field ? { errors: [{ field, reason: 'not found' }] } : {});
  }
}

/** The request clashes with the records as they are now; `code` says how, when a client can act on it. */
export class ConflictError extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}, code: ErrorCode = 'conflict') {
    super(409, code, 'Conflict', detail, extra);
  }
}

export class UnprocessableError extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(422, 'cannot-be-done', 'Cannot be done', detail, extra);
  }
}

/** The server has too much in hand to take this request now; nothing was recorded (503 with Retry-After). */
export class BusyError extends HttpError {
  constructor(readonly retryAfterS: number) {
    super(503, 'busy', 'Busy', `too many requests right now; nothing was recorded, try again in ${retryAfterS} s`, { retryAfterS });
  }
}

/** PostgreSQL errors that mean the client asked for something the data forbids. */
const pgConflicts: Partial<Record<string, { code: ErrorCode; detail: string }>> = {
  [sqlState.checkViolation]: { code: 'conflict', detail: 'the change would break a rule of the records (for stock: not enough available)' },
  [sqlState.uniqueViolation]: { code: 'already-exists', detail: 'a record with the same unique value already exists' },
  [sqlState.exclusionViolation]: { code: 'conflict', detail: 'the change conflicts with an existing record' },
  [sqlState.serializationFailure]: { code: 'concurrent-change', detail: 'a concurrent change won; retry' },
  [sqlState.deadlockDetected]: { code: 'concurrent-change', detail: 'a concurrent change won; retry' },
};

export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  // The router decodes path parameters; a broken %-sequence is the client's (e.g. GET /api/track/%E0%A4%A).
  if (error instanceof URIError) return invalidField('path', 'malformed percent-encoding');
  if (error instanceof InvalidProblemError) return invalidField(error.field, error.reason);
  if (error instanceof UnsolvableError) {
    return new UnprocessableError(error.message, error.field ? { errors: [{ field: error.field, reason: error.reason }] } : {});
  }
  const e = error as { type?: string; status?: number; code?: string; constraint?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return invalidField('body', 'malformed JSON');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'too-large', 'Too large', 'the request body is too large');
  if (e?.type && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'bad-request', 'Bad request', e.message ?? 'bad request');
  }
  // A value the schemas let through but the database cannot hold is still the client's number.
  if (e?.code === sqlState.numericOutOfRange) return invalidField('body', 'a number is out of range');
  const conflict = e?.code ? pgConflicts[e.code] : undefined;
  if (conflict) return new ConflictError(conflict.detail, e.constraint ? { constraint: e.constraint } : {}, conflict.code);
  return undefined;
}

export function problemBody(error: HttpError, instance: string): Record<string, unknown> {
  return {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.message,
    instance,
    ...error.extra,
  };
}

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = toHttpError(error);
  if (known) {
    // A refusal that says when to come back (throttled, busy) says it in the header too.
    if (typeof known.extra.retryAfterS === 'number') res.set('Retry-After', String(known.extra.retryAfterS));
    res.status(known.status).type('application/problem+json').send(JSON.stringify(problemBody(known, req.originalUrl)));
    return;
  }
  const requestId: string = res.locals.requestId ?? randomUUID();
  console.error(`[${requestId}] ${req.method} ${req.originalUrl}`, error);
  res
    .status(500)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Internal error', status: 500, code: 'internal', requestId }));
};
