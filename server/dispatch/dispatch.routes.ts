// HTTP for dispatch and the driver's day: routes, stops, positions.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { grouped } from '../db/grouped.ts';
import { endpoint } from '../http/endpoint.ts';
import { Reply } from '../http/reply.ts';
import { idParam } from '../http/schemas.ts';
import { dispatchBody, position, replanBody, routeQuery, stopStatus } from './dispatch.schema.ts';
import * as dispatch from './dispatch.service.ts';
import { householdDeliveries, proofImage, setStopStatus } from './stops.service.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';

export function dispatchRoutes(deps: AppDeps): Router {
  const { db, outbox, live } = deps;
  const router = Router();
  const tag = 'routes';
  const coordinators = ['coordinator', 'admin'] as const;
  const field = ['driver', 'coordinator', 'admin'] as const;
  // Drivers recording stops at once share one transaction and one commit, and their events one statement (db/grouped.ts).
  const outcomes = outbox.through(grouped(db));
  endpoint(
    router,
    db,
    { method: 'post', path: '/plans/:id/dispatch', summary: 'Build routes for an approved plan and push them to drivers and gate volunteers (a job: 202 with it when it takes longer than the wait)', tag, roles: coordinators, params: idParam, body: dispatchBody, idempotent: true },
    async ({ params, body, user }) => {
      const answer = await deps.jobs.startAndWait('dispatch', params.id, { options: body, scope: warehouseScope(user) }, user);
      return answer instanceof Reply ? answer : dispatch.dispatchAnswer(db, answer as dispatch.DispatchJobResult);
    },
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/plans/:id/replan', summary: 'Re-plan the routes under way after an urgent need, a driver dropping out or a closure; affected drivers get their new route live (a job: 202 with it when it takes longer than the wait)', tag, roles: coordinators, params: idParam, body: replanBody, idempotent: true },
    ({ params, body, user }) => deps.jobs.startAndWait('replan', params.id, { body, user }, user),
  );
  endpoint(router, db, { method: 'get', path: '/routes', summary: 'Routes (filter by plan or driver; a coordinator tied to warehouses gets only theirs)', tag, roles: coordinators, query: routeQuery, list: 'array' }, ({ query, user }) => dispatch.listRoutes(db, user, query));
  endpoint(router, db, { method: 'get', path: '/routes/:id', summary: 'One route with its stops (a driver: only their own; a coordinator tied to warehouses: only theirs)', tag, roles: field, params: idParam }, ({ params, user }) =>
    dispatch.routeFor(db, user, params.id),
  );
  endpoint(router, db, { method: 'get', path: '/me/route', summary: "The signed-in driver's or volunteer's routes under way", tag, roles: ['driver'] }, ({ user }) => dispatch.myRoutes(db, user));
  endpoint(router, db, { method: 'post', path: '/routes/:id/accept', summary: 'Accept an assigned route', tag, roles: field, params: idParam, idempotent: true }, ({ params, user }) =>
    dispatch.acceptRoute(outbox, user, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/routes/:id/pickup', summary: 'Goods picked up at the warehouse (ledger: dispatched)', tag, roles: field, params: idParam, idempotent: true },
    ({ params, user }) => dispatch.pickUp(outbox, user, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/stops/:id/status', summary: 'A stop delivered, or failed with a reason (goods go back to stock)', tag, roles: field, params: idParam, body: stopStatus, idempotent: true },
    ({ params, body, user }) => setStopStatus(outcomes, user, params.id, body),
  );
  endpoint(
    router,
    db,
    { method: 'get', path: '/households/:id/deliveries', summary: "A household's deliveries and failed visits with their proof, newest first", tag, roles: ['community', 'coordinator', 'admin'], params: idParam },
    ({ params, user }) => householdDeliveries(db, user, params.id),
  );
  for (const which of ['photo', 'signature'] as const) {
    endpoint(
      router,
      db,
      { method: 'get', path: `/stops/:id/proof/${which}`, summary: `The ${which} taken as proof of a delivery (metadata stripped)`, tag, roles: coordinators, params: idParam, produces: 'image/*' },
      async ({ params, user, res }) => {
        const image = await proofImage(db, user, params.id, which);
        res.type(image.type).set('Cache-Control', 'private, no-store').send(image.bytes);
        return undefined;
      },
    );
  }
  endpoint(router, db, { method: 'post', path: '/me/position', summary: 'Report where I am, for the live board', tag, roles: ['driver'], body: position }, ({ body, user }) =>
    dispatch.reportPosition(live, user, body),
  );
  return router;
}
