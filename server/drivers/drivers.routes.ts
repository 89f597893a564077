// HTTP for drivers and gate volunteers.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { driverPatch, driverQuery, newDriver } from './drivers.schema.ts';
import * as drivers from './drivers.service.ts';

export function driverRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'drivers';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/drivers', summary: 'Drivers and gate volunteers', tag, roles, query: driverQuery }, ({ query }) => drivers.listDrivers(db, query));
  endpoint(router, db, { method: 'get', path: '/drivers/:id', summary: 'One driver or gate volunteer', tag, roles, params: idParam }, ({ params }) => drivers.getDriver(db, params.id));
  endpoint(
    router,
    db,
    { method: 'post', path: '/drivers', summary: 'Register a driver or gate volunteer', tag, roles, body: newDriver, status: 201, idempotent: true },
    ({ body }) => drivers.createDriver(db, body),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/drivers/:id', summary: 'Update a driver or gate volunteer', tag, roles, params: idParam, body: driverPatch },
    ({ params, body }) => drivers.updateDriver(db, params.id, body),
  );
  return router;
}
