// The few typed errors a service may throw, and the one place that maps every error to an HTTP
// problem+json answer (RFC 9457). Anything unknown becomes a bare 500 with a request id, no stack.
import type { ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { InvalidProblemError, UnsolvableError } from '../../solver/errors.ts';

export interface FieldProblem {
  field: string;
  reason: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class ValidationError extends HttpError {
  constructor(readonly errors: FieldProblem[]) {
    super(400, 'Invalid input', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
  }
}

export const invalidField = (field: string, reason: string) => new ValidationError([{ field, reason }]);

export class UnauthenticatedError extends HttpError {
  constructor(detail = 'sign in first: send "Authorization: Bearer <token>"') {
    super(401, 'Not signed in', detail);
  }
}

export class ForbiddenError extends HttpError {
  constructor(detail: string, field?: string) {
    super(403, 'Forbidden', detail, field ? { errors: [{ field, reason: detail }] } : {});
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id: string | number, field?: string) {
    super(404, 'Not found', `${what} ${id} does not exist`, field ? { errors: [{ field, reason: 'not found' }] } : {});
  }
}

export class ConflictError extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, extra);
  }
}

export class UnprocessableError extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(422, 'Cannot be done', detail, extra);
  }
}

/** PostgreSQL error codes that mean the client asked for something the data forbids. */
const pgConflicts: Record<string, string> = {
  '23514': 'the change would break a rule of the records (for stock: not enough available)',
  '23505': 'a record with the same unique value already exists',
  '23P01': 'the change conflicts with an existing record',
  '40001': 'a concurrent change won; retry',
  '40P01': 'a concurrent change won; retry',
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
  if (e?.type === 'entity.too.large') return new HttpError(413, 'Too large', 'the request body is too large');
  if (e?.type && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'Bad request', e.message ?? 'bad request');
  }
  // A value the schemas let through but the database cannot hold is still the client's number.
  if (e?.code === '22003') return invalidField('body', 'a number is out of range');
  if (e?.code && pgConflicts[e.code]) {
    return new ConflictError(pgConflicts[e.code]!, e.constraint ? { constraint: e.constraint } : {});
  }
  return undefined;
}

export function problemBody(error: HttpError, instance: string): Record<string, unknown> {
  return {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    ...error.extra,
  };
}

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = toHttpError(error);
  if (known) {
    res.status(known.status).type('application/problem+json').send(JSON.stringify(problemBody(known, req.originalUrl)));
    return;
  }
  const requestId = randomUUID();
  console.error(`[${requestId}] ${req.method} ${req.originalUrl}`, error);
  res
    .status(500)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: 'Internal error', status: 500, requestId }));
};
