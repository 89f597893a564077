// HTTP for standard packs: define one, list them, assemble packs at a warehouse, take packs apart, and a
// pack's lots with the component lots each was made from.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { assemblyBody, disassemblyBody, newPack, packLotQuery, packQuery } from './packs.schema.ts';
import * as packs from './packs.service.ts';

export function packRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'packs';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/packs', summary: 'The standard packs with their bills of materials', tag, roles: 'signed-in', query: packQuery, list: 'array' }, ({ query }) =>
    packs.listPacks(db, query),
  );
  endpoint(router, db, { method: 'get', path: '/packs/:id', summary: 'A standard pack with its bill of materials', tag, roles: 'signed-in', params: idParam }, ({ params }) =>
    packs.getPack(db, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/packs', summary: 'Define a standard pack: a commodity made of others (perishable when any component is)', tag, roles, body: newPack, status: 201, idempotent: true },
    ({ body }) => packs.createPack(db, body),
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/packs/:id/assemble',
      summary: 'Assemble packs at a warehouse from its lots, first expiring first out, into a new pack lot that keeps its component lots',
      tag,
      roles,
      params: idParam,
      body: assemblyBody,
      status: 201,
      idempotent: true,
    },
    ({ params, body, user }) => packs.assemble(db, params.id, body, user),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/packs/:id/disassemble', summary: 'Take packs of a pack lot apart, back into the component lots they came from', tag, roles, params: idParam, body: disassemblyBody, status: 201, idempotent: true },
    ({ params, body, user }) => packs.disassemble(db, params.id, body, user),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/packs/:id/lots', summary: "A pack's lots with stock (a coordinator tied to warehouses: theirs), each with its component lots", tag, roles, params: idParam, query: packLotQuery },
    ({ params, query, user }) => packs.packLots(db, params.id, query.warehouseId, user),
  );
  return router;
}
