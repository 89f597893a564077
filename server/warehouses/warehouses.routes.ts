// HTTP for warehouses (their stock lives under the stock noun).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { recordEndpoints } from '../http/record-endpoints.ts';
import { newWarehouse, warehousePatch, warehouseQuery } from './warehouses.schema.ts';
import * as warehouses from './warehouses.service.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';

export function warehouseRoutes({ db }: AppDeps): Router {
  const router = Router();
  recordEndpoints(
    router,
    db,
    { path: '/warehouses', tag: 'warehouses', noun: 'warehouse', readRoles: 'signed-in', writeRoles: ['coordinator', 'admin'], query: warehouseQuery, create: newWarehouse, patch: warehousePatch },
    {
      list: (query) => warehouses.listWarehouses(db, query),
      get: (id) => warehouses.getWarehouse(db, id),
      create: (input) => warehouses.createWarehouse(db, input),
      update: (id, patch, user) => warehouses.updateWarehouse(db, id, patch, warehouseScope(user)),
    },
  );
  return router;
}
