// HTTP for drivers and gate volunteers (a coordinator tied to warehouses: those based there, and those based nowhere).
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { recordEndpoints } from '../http/record-endpoints.ts';
import { driverPatch, driverQuery, newDriver } from './drivers.schema.ts';
import * as drivers from './drivers.service.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';

export function driverRoutes({ db }: AppDeps): Router {
  const router = Router();
  const roles = ['coordinator', 'admin'] as const;
  recordEndpoints(
    router,
    db,
    { path: '/drivers', tag: 'drivers', noun: 'driver or gate volunteer', readRoles: roles, writeRoles: roles, query: driverQuery, create: newDriver, patch: driverPatch },
    {
      list: (query, user) => drivers.listDrivers(db, query, warehouseScope(user)),
      get: (id, user) => drivers.driverFor(db, id, warehouseScope(user)),
      create: (input, user) => drivers.createDriver(db, input, warehouseScope(user)),
      update: (id, patch, user) => drivers.updateDriver(db, id, patch, warehouseScope(user)),
    },
  );
  return router;
}
