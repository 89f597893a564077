// HTTP for the road network: the map for the client, closures, point-to-point paths.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { closureQuery, liftBody, networkQuery, newClosure, pathQuery } from './network.schema.ts';

export function networkRoutes({ db, roads }: AppDeps): Router {
  const router = Router();
  const tag = 'network';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/network', summary: 'The road network as simplified GeoJSON (drive or walk layer)', tag, roles: 'signed-in', query: networkQuery }, async ({ query, req, res }) =>
    (await roads.geoJson(query.layer, query.simplify)).send(req, res),
  );
  endpoint(router, db, { method: 'get', path: '/network/closures', summary: 'Closures and checkpoints in force', tag, roles: 'signed-in', query: closureQuery, list: 'array' }, ({ query }) => roads.closurePage(query));
  endpoint(
    router,
    db,
    { method: 'post', path: '/network/closures', summary: 'Close or slow the roads near a point (effective for the next plan and re-route)', tag, roles, body: newClosure, status: 201, idempotent: true },
    ({ body, user }) => roads.close(body, user.id),
  );
  endpoint(
    router,
    db,
    { method: 'delete', path: '/network/closures/:id', summary: 'Lift a closure', tag, roles, params: idParam, body: liftBody },
    ({ params, body, user }) => roads.lift(params.id, user.id, body.reason),
  );
  endpoint(router, db, { method: 'get', path: '/paths', summary: 'Fastest path between two points by mode, or why there is none', tag, roles: 'signed-in', query: pathQuery }, ({ query }) =>
    roads.path(query.from, query.to, query.mode),
  );
  return router;
}
