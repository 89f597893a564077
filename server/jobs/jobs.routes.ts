// HTTP for solve jobs: where a started plan, dispatch or re-plan stands, and its answer once it has one.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { jobParams } from './jobs.schema.ts';

export function jobRoutes(deps: AppDeps): Router {
  const router = Router();
  endpoint(
    router,
    deps.db,
    { method: 'get', path: '/jobs/:id', summary: 'A solve job (plan, dispatch, re-plan) its starter or an admin follows: queued, running, done with its answer, or failed with why', tag: 'jobs', roles: ['coordinator', 'admin'], params: jobParams },
    ({ params, user }) => deps.jobs.viewFor(params.id, user),
  );
  return router;
}
