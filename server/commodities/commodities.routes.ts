// HTTP for the commodity catalogue.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { recordEndpoints } from '../http/record-endpoints.ts';
import { commodityPatch, commodityQuery, newCommodity } from './commodities.schema.ts';
import * as commodities from './commodities.service.ts';

export function commodityRoutes({ db }: AppDeps): Router {
  const router = Router();
  recordEndpoints(
    router,
    db,
    { path: '/commodities', tag: 'commodities', noun: 'commodity', readRoles: 'signed-in', writeRoles: ['coordinator', 'admin'], query: commodityQuery, create: newCommodity, patch: commodityPatch },
    {
      list: (query) => commodities.listCommodities(db, query),
      get: (id) => commodities.getCommodity(db, id),
      create: (input) => commodities.createCommodity(db, input),
      update: (id, patch) => commodities.updateCommodity(db, id, patch),
    },
  );
  return router;
}
