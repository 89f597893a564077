import { describe, expect, it } from 'vitest';
import express, { Router, type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { declarePath, routeByFirstSegment } from '../../../server/http/segments.ts';

/** Two nouns' routers, each with a middleware of its own that notes which requests it saw. */
function nouns() {
  const seen: string[] = [];
  const make = (noun: string) => {
    const router = Router();
    router.use((req, _res, next) => {
      seen.push(`${noun} ${req.path}`);
      next();
    });
    router.get(`/${noun}/:id`, (req, res) => void res.json({ noun, id: req.params.id }));
    router.post(`/${noun}/fail`, () => {
      throw new Error(`${noun} failed`);
    });
    declarePath(router, `/${noun}/:id`);
    return router;
  };
  const app = express();
  app.use(routeByFirstSegment([make('needs'), make('donations')]));
  app.use((_req, res) => void res.status(404).json({ unknown: true }));
  app.use(((error, _req, res, _next) => void res.status(500).json({ error: (error as Error).message })) as ErrorRequestHandler);
  return { app, seen };
}

describe('routing by first path segment', () => {
  it("walks a request through its own noun's router only", async () => {
    const { app, seen } = nouns();
    const answer = await request(app).get('/donations/7');
    expect(answer.body).toEqual({ noun: 'donations', id: '7' });
    expect(seen).toEqual(['donations /donations/7']);
  });

  it('compares the segment without case, as Express routes', async () => {
    const { app } = nouns();
    expect((await request(app).get('/Needs/3')).body).toEqual({ noun: 'needs', id: '3' });
  });

  it('passes an unknown segment on, through no router, and a thrown error to the error handler', async () => {
    const { app, seen } = nouns();
    expect((await request(app).get('/lots/1')).status).toBe(404);
    expect(seen).toEqual([]);
    const failed = await request(app).post('/needs/fail');
    expect([failed.status, failed.body]).toEqual([500, { error: 'needs failed' }]);
  });
});
