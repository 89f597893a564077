// HTTP for stock: a warehouse's stock by commodity and lot, new lots, manual movements, the ledger.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';
import { movementQuery, newLot, newMovement, recallBody, recallQuery } from './stock.schema.ts';
import * as stock from './stock.service.ts';
import { listRecalls, recallLot, replaceRecalled } from './recall.service.ts';

export function stockRoutes({ db, outbox }: AppDeps): Router {
  const router = Router();
  const tag = 'stock';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/warehouses/:id/stock', summary: 'On-hand stock by commodity and lot', tag, roles, params: idParam }, ({ params, user }) =>
    stock.warehouseStock(db, params.id, warehouseScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/stock/lots', summary: 'Receive a lot bought or transferred in (not a donation)', tag, roles, body: newLot, status: 201, idempotent: true },
    ({ body, user }) => stock.receiveLot(db, body, user.id, warehouseScope(user)),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/stock/movements', summary: 'Record a manual movement (reserve, release, spoil, adjust)', tag, roles, body: newMovement, status: 201, idempotent: true },
    ({ body, user }) => stock.recordManualMovement(db, { ...body, actorId: user.id }, warehouseScope(user)),
  );
  endpoint(router, db, { method: 'get', path: '/stock/movements', summary: 'The stock ledger (a coordinator tied to warehouses: theirs)', tag, roles, query: movementQuery, list: 'page' }, ({ query, user }) =>
    stock.listMovements(db, query, warehouseScope(user)),
  );
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/lots/:id/recall',
      summary: 'Recall a lot: blocked from plans and dispatch at once, taken off pending stops (drivers told live); who received it and who carries it',
      tag,
      roles,
      params: idParam,
      body: recallBody,
      idempotent: true,
    },
    ({ params, body, user }) => recallLot(outbox, params.id, body.reason, user),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/lots/:id/recall/replacements', summary: 'Replacement needs for every household that received a recalled lot (once)', tag, roles, params: idParam, status: 201, idempotent: true },
    ({ params, user }) => replaceRecalled(outbox, params.id, user),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/recalls', summary: 'Recalled lots and the households that received them (a community worker: those of their communities)', tag, roles: ['coordinator', 'admin', 'community'], query: recallQuery, list: 'array' },
    ({ user, query }) => listRecalls(db, user, query),
  );
  return router;
}
