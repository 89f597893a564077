// Declares an HTTP endpoint once: its path, who may call it, its input schemas and its handler.
// The same declaration validates input, checks the role, replays idempotent retries and feeds the
// OpenAPI document, so the schema is the single source of truth. Every request gets an id (X-Request-Id),
// and a write (any method but GET) runs audited: each record it changes gets an audit row in its commit.
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role, SignedInUser } from '../auth/roles.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError, type FieldProblem } from './errors.ts';
import { replayOrRecord } from './idempotency.ts';
import type { Db } from '../db/database.ts';
import { audited } from '../audit/audit.service.ts';
import { Reply } from './reply.ts';
import { setCursorHeader, setPageHeaders, type Page } from './paging.ts';
import { declarePath } from './segments.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface EndpointSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed to call it; 'public' for anyone, 'signed-in' for any role. */
  roles: readonly Role[] | 'public' | 'signed-in';
  body?: B;
  query?: Q;
  params?: P;
  /** Success status (200 unless given). */
  status?: number;
  /** Creates something: retries with the same Idempotency-Key get the first answer. */
  idempotent?: boolean;
  /** Answers something other than JSON (e.g. text/csv). */
  produces?: string;
  /**
   * A list: the query is built by paging.ts's listQuery and the handler answers a Page. `page` sends it as
   * `{items, total, limit, offset}`, `array` as the bare rows (lists that answered arrays before paging);
   * both carry X-Total-Count and Link headers. `cursor`: an append-only log paged by its own keyset
   * (`{items, next}`, `next` the cursor of the following page), with a Link to it.
   */
  list?: 'page' | 'array' | 'cursor';
}

export interface EndpointContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  user: SignedInUser | undefined;
  req: Request;
  res: Response;
}

export interface SignedInContext<B, Q, P> extends EndpointContext<B, Q, P> {
  user: SignedInUser;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/** Every declared endpoint by `method path` (apps built repeatedly, as in tests, declare the same ones). */
export const registry = new Map<string, EndpointSpec<z.ZodType, z.ZodType, z.ZodType>>();

export function endpoint<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, R>(
  router: Router,
  db: Db,
  spec: EndpointSpec<B, Q, P>,
  handler: (
    ctx: typeof spec.roles extends 'public' ? EndpointContext<Infer<B>, Infer<Q>, Infer<P>> : SignedInContext<Infer<B>, Infer<Q>, Infer<P>>,
  ) => Promise<R> | R,
): void {
  registry.set(`${spec.method} ${spec.path}`, spec as unknown as EndpointSpec<z.ZodType, z.ZodType, z.ZodType>);
  declarePath(router, spec.path);
  router[spec.method](spec.path, async (req, res) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const user = req.user;
    checkRole(spec.roles, user, req.staleToken);
    const ctx = {
      body: parse(spec.body, req.body ?? {}, 'body'),
      query: parse(spec.query, req.query, 'query'),
      params: parse(spec.params, req.params, 'path'),
      user,
      req,
      res,
    } as SignedInContext<Infer<B>, Infer<Q>, Infer<P>>;
    const run = async (): Promise<{ status: number; body: unknown }> => {
      const value = await handler(ctx);
      return value instanceof Reply ? { status: value.status, body: value.body } : { status: spec.status ?? 200, body: value };
    };
    const key = req.get('Idempotency-Key');
    const answerOnce = () => (spec.idempotent && key && user ? replayOrRecord(db, user.id, key, req, run) : run());
    const answer = spec.method === 'get' ? await answerOnce() : await audited(req, user, requestId, answerOnce);
    if (res.headersSent) return;
    if (spec.list === 'cursor') setCursorHeader(req, res, answer.body as { next: unknown });
    else if (spec.list) {
      const page = answer.body as Page<unknown>;
      setPageHeaders(req, res, page);
      if (spec.list === 'array') answer.body = page.items;
    }
    if (spec.produces && typeof answer.body === 'string') {
      res.status(answer.status).type(spec.produces).send(answer.body);
    } else {
      res.status(answer.status).json(answer.body);
    }
  });
}

function checkRole(roles: EndpointSpec<z.ZodType, z.ZodType, z.ZodType>['roles'], user: SignedInUser | undefined, staleToken = false): void {
  if (roles === 'public') return;
  if (!user) throw new UnauthenticatedError(staleToken ? 'the token is unknown or has expired; sign in again' : undefined);
  if (roles === 'signed-in' || roles.includes(user.role)) return;
  throw new ForbiddenError(`this needs the role ${roles.join(' or ')}; you are signed in as ${user.role}`);
}

function parse<T extends z.ZodType | undefined>(schema: T, value: unknown, where: string): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const nul = nulBytes(value, where);
  if (nul.length > 0) throw new ValidationError(nul);
  const result = schema.safeParse(value);
  if (result.success) return result.data as Infer<T>;
  throw new ValidationError(result.error.issues.flatMap((issue) => describeIssue(issue, where)));
}

function describeIssue(issue: z.core.$ZodIssue, where: string): FieldProblem[] {
  const base = [where, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: `${base}.${key}`, reason: 'unknown field' }));
  }
  return [{ field: base, reason: issue.message }];
}

/**
 * Text holding a NUL byte (\u0000), which no PostgreSQL text or JSON value can store: refused before the
 * schemas and before any write, so it answers 400 naming the field rather than failing in the database.
 */
function nulBytes(value: unknown, path: string): FieldProblem[] {
  if (typeof value === 'string') return value.includes('\0') ? [{ field: path, reason: 'contains a NUL character (\\u0000)' }] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\0') ? [{ field: path, reason: 'a field name contains a NUL character (\\u0000)' }] : nulBytes(item, `${path}.${key}`),
  );
}
