// The four endpoints every plain record has (list, read, create, update), declared in one place for
// the nouns whose rules fit them (warehouses, commodities, drivers).
import type { Router } from 'express';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Role } from '../auth/auth.schema.ts';
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

export interface RecordService<Q, C, P> {
  list(query: Q): Promise<unknown>;
  get(id: number): Promise<unknown>;
  create(input: C): Promise<unknown>;
  update(id: number, patch: P): Promise<unknown>;
}

export function recordEndpoints<Q extends z.ZodType, C extends z.ZodType, P extends z.ZodType>(
  router: Router,
  db: Db,
  spec: RecordEndpoints<Q, C, P>,
  service: RecordService<z.output<Q>, z.output<C>, z.output<P>>,
): void {
  const { path, tag, noun, readRoles, writeRoles } = spec;
  endpoint(router, db, { method: 'get', path, summary: `List ${noun}s`, tag, roles: readRoles, query: spec.query }, ({ query }) => service.list(query as z.output<Q>));
  endpoint(router, db, { method: 'get', path: `${path}/:id`, summary: `One ${noun}`, tag, roles: readRoles, params: idParam }, ({ params }) => service.get(params.id));
  endpoint(router, db, { method: 'post', path, summary: `Create a ${noun}`, tag, roles: writeRoles, body: spec.create, status: 201, idempotent: true }, ({ body }) =>
    service.create(body as z.output<C>),
  );
  endpoint(router, db, { method: 'patch', path: `${path}/:id`, summary: `Update a ${noun}`, tag, roles: writeRoles, params: idParam, body: spec.patch }, ({ params, body }) =>
    service.update(params.id, body as z.output<P>),
  );
}
