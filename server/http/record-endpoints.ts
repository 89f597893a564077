// The four endpoints every plain record has (list, read, create, update), declared in one place for
// the nouns whose rules fit them (warehouses, commodities, drivers).
import type { Router } from 'express';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Role, SignedInUser } from '../auth/roles.ts';
import { endpoint } from './endpoint.ts';
import { idParam } from './schemas.ts';

export interface RecordEndpoints<Q extends z.ZodType, C extends z.ZodType, P extends z.ZodType> {
  /** Collection path, e.g. `/warehouses`. */
  path: string;
  tag: string;
  /** What one record is called in summaries, e.g. "warehouse". */
  noun: string;
  readRoles: readonly Role[] | 'signed-in';
  writeRoles: readonly Role[];
  query: Q;
  create: C;
  patch: P;
}

/** Each method also gets who is asking, for the nouns whose records are scoped (e.g. drivers by warehouse). */
export interface RecordService<Q, C, P> {
  list(query: Q, user: SignedInUser): Promise<unknown>;
  get(id: number, user: SignedInUser): Promise<unknown>;
  create(input: C, user: SignedInUser): Promise<unknown>;
  update(id: number, patch: P, user: SignedInUser): Promise<unknown>;
}

export function recordEndpoints<Q extends z.ZodType, C extends z.ZodType, P extends z.ZodType>(
  router: Router,
  db: Db,
  spec: RecordEndpoints<Q, C, P>,
  service: RecordService<z.output<Q>, z.output<C>, z.output<P>>,
): void {
  const { path, tag, noun, readRoles, writeRoles } = spec;
  endpoint(router, db, { method: 'get', path, summary: `List ${noun}s`, tag, roles: readRoles, query: spec.query, list: 'page' }, ({ query, user }) => service.list(query as z.output<Q>, user));
  endpoint(router, db, { method: 'get', path: `${path}/:id`, summary: `One ${noun}`, tag, roles: readRoles, params: idParam }, ({ params, user }) => service.get(params.id, user));
  endpoint(router, db, { method: 'post', path, summary: `Create a ${noun}`, tag, roles: writeRoles, body: spec.create, status: 201, idempotent: true }, ({ body, user }) =>
    service.create(body as z.output<C>, user),
  );
  endpoint(router, db, { method: 'patch', path: `${path}/:id`, summary: `Update a ${noun}`, tag, roles: writeRoles, params: idParam, body: spec.patch }, ({ params, body, user }) =>
    service.update(params.id, body as z.output<P>, user),
  );
}
