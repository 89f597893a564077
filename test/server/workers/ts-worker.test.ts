import { describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { runInWorker } from '../../../server/workers/ts-worker.ts';
import { problemHandler } from '../../../server/http/errors.ts';
import { ROUTER } from '../../../server/dispatch/route-build.ts';
import type { RouterJob } from '../../../server/dispatch/route.worker.ts';
import { InvalidProblemError } from '../../../solver/errors.ts';

/** A routing job the solver refuses: no depot to start from. */
const noDepot: RouterJob = {
  op: 'solve',
  problem: { depots: [], customers: [], vehicles: [{ id: 'v1', capacity: [10], startDepot: 'w1' }], distances: [[0]], durations: [[0]] },
  options: { seed: 1, maxIterations: 1 },
};

describe('errors thrown by a solver in a worker thread', () => {
  it('keep their class across the thread', async () => {
    const error = await runInWorker(ROUTER, noDepot).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidProblemError);
    expect(error).toMatchObject({ field: 'depots', reason: 'at least one depot is needed' });
  });

  it('answer 400 naming the field, not 500', async () => {
    const app = express();
    app.post('/solve', async () => {
      await runInWorker(ROUTER, noDepot);
    });
    app.use(problemHandler);
    const res = await request(app).post('/solve').expect(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'depots', reason: 'at least one depot is needed' }]);
  });
});
