// HTTP for warehouses (their stock lives under the stock noun).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { newWarehouse, warehousePatch, warehouseQuery } from './warehouses.schema.ts';
import * as warehouses from './warehouses.service.ts';

export function warehouseRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'warehouses';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/warehouses', summary: 'List warehouses', tag, roles: 'signed-in', query: warehouseQuery }, ({ query }) =>
    warehouses.listWarehouses(db, query),
  );
  endpoint(router, db, { method: 'get', path: '/warehouses/:id', summary: 'One warehouse', tag, roles: 'signed-in', params: idParam }, ({ params }) =>
    warehouses.getWarehouse(db, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/warehouses', summary: 'Create a warehouse', tag, roles, body: newWarehouse, status: 201, idempotent: true },
    ({ body }) => warehouses.createWarehouse(db, body),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/warehouses/:id', summary: 'Update a warehouse', tag, roles, params: idParam, body: warehousePatch },
    ({ params, body }) => warehouses.updateWarehouse(db, params.id, body),
  );
  return router;
}
