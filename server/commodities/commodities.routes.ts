// HTTP for the commodity catalogue.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { commodityPatch, commodityQuery, newCommodity } from './commodities.schema.ts';
import * as commodities from './commodities.service.ts';

export function commodityRoutes({ db }: AppDeps): Router {
  const router = Router();
  const tag = 'commodities';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(router, db, { method: 'get', path: '/commodities', summary: 'The commodity catalogue', tag, roles: 'signed-in', query: commodityQuery }, ({ query }) =>
    commodities.listCommodities(db, query),
  );
  endpoint(router, db, { method: 'get', path: '/commodities/:id', summary: 'One commodity', tag, roles: 'signed-in', params: idParam }, ({ params }) =>
    commodities.getCommodity(db, params.id),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/commodities', summary: 'Add a commodity', tag, roles, body: newCommodity, status: 201, idempotent: true },
    ({ body }) => commodities.createCommodity(db, body),
  );
  endpoint(
    router,
    db,
    { method: 'patch', path: '/commodities/:id', summary: 'Update a commodity', tag, roles, params: idParam, body: commodityPatch },
    ({ params, body }) => commodities.updateCommodity(db, params.id, body),
  );
  return router;
}
