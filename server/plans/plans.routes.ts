// HTTP for allocation plans: run (solved off the request thread), review, approve.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { idParam } from '../http/schemas.ts';
import { newPlan, planPartQuery, planQuery } from './plans.schema.ts';
import * as plans from './plans.service.ts';
import { warehouseScope } from '../auth/warehouse-scope.ts';

export function planRoutes(deps: AppDeps): Router {
  const { db, outbox } = deps;
  const router = Router();
  const tag = 'plans';
  const roles = ['coordinator', 'admin'] as const;
  endpoint(
    router,
    db,
    { method: 'post', path: '/plans', summary: 'Run the allocation optimizer on the current stock and needs (answers at once; poll or listen for progress)', tag, roles, body: newPlan, status: 202, idempotent: true },
    ({ body, user }) => plans.createPlan(deps, body, user.id),
  );
  endpoint(router, db, { method: 'get', path: '/plans', summary: 'Plans, newest last', tag, roles, query: planQuery, list: 'page' }, ({ query }) => plans.listPlans(db, query));
  endpoint(
    router,
    db,
    {
      method: 'get',
      path: '/plans/:id',
      summary: 'A plan: its progress and fairness figures, and one window (limit, offset, sort) of its allocations, unmet needs with their reasons, and fulfilment; `pages` says how many there are',
      tag,
      roles,
      params: idParam,
      query: planPartQuery,
    },
    ({ params, query }) => plans.planPage(db, params.id, query),
  );
  endpoint(
    router,
    db,
    { method: 'post', path: '/plans/:id/approve', summary: 'Approve a plan: reserves its stock in one transaction (409 when stock or needs changed since; 403 for a coordinator not tied to every warehouse it draws from)', tag, roles, params: idParam, idempotent: true },
    ({ params, user }) => plans.approvePlan(outbox, params.id, user.id, warehouseScope(user)),
  );
  return router;
}
