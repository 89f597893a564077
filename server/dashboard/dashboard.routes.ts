// HTTP for the coordinators' dashboard.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { dashboard } from './dashboard.service.ts';

export function dashboardRoutes({ db }: AppDeps): Router {
  const router = Router();
  endpoint(
    router,
    db,
    { method: 'get', path: '/dashboard', summary: 'Fill rate by tier (now and over plans), time to delivery, equity, kilometres, days of cover per commodity', tag: 'dashboard', roles: ['coordinator', 'admin'] },
    () => dashboard(db),
  );
  return router;
}
