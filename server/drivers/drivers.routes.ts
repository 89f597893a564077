// HTTP for drivers and gate volunteers.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { recordEndpoints } from '../http/record-endpoints.ts';
import { driverPatch, driverQuery, newDriver } from './drivers.schema.ts';
import * as drivers from './drivers.service.ts';

export function driverRoutes({ db }: AppDeps): Router {
  const router = Router();
  const roles = ['coordinator', 'admin'] as const;
  recordEndpoints(
    router,
    db,
    { path: '/drivers', tag: 'drivers', noun: 'driver or gate volunteer', readRoles: roles, writeRoles: roles, query: driverQuery, create: newDriver, patch: driverPatch },
    {
      list: (query) => drivers.listDrivers(db, query),
      get: (id) => drivers.getDriver(db, id),
      create: (input) => drivers.createDriver(db, input),
      update: (id, patch) => drivers.updateDriver(db, id, patch),
    },
  );
  return router;
}
