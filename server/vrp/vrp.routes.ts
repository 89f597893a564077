// HTTP for stand-alone routing problems in VROOM's format: solved in a worker thread, answered in VROOM's
// solution format. Nothing is stored.
import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { runInWorker } from '../workers/ts-worker.ts';
import type { VroomSolution } from '../../solver/formats/vroom.ts';
import type { VrpJob } from './vrp.worker.ts';
import { vroomProblem, vrpQuery } from './vrp.schema.ts';

const WORKER = new URL('./vrp.worker.ts', import.meta.url);

export function vrpRoutes({ db }: AppDeps): Router {
  const router = Router();
  endpoint(
    router,
    db,
    {
      method: 'post',
      path: '/vrp',
      summary: "Solve a routing problem given in VROOM's input format; answers in VROOM's solution format (400 naming the field of a malformed problem, 422 for one Lifeline cannot solve yet)",
      tag: 'vrp',
      roles: ['coordinator', 'admin'],
      body: vroomProblem,
      query: vrpQuery,
    },
    ({ body, query }) => runInWorker<VrpJob, VroomSolution>(WORKER, { input: body, options: { seed: query.seed, timeLimitMs: query.timeLimitMs } }),
  );
  return router;
}
