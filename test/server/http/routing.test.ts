import { describe, expect, it } from 'vitest';
import express, { Router } from 'express';
import request from 'supertest';
import { byFirstSegment, firstSegments } from '../../../server/http/routing.ts';

/** A router answering its name on each of these paths, that counts the requests entering it. */
function router(name: string, paths: string[]) {
  const inner = Router();
  for (const path of paths) inner.get(path, (_req, res) => void res.json({ name }));
  const entered = { count: 0 };
  const spy = Object.assign((...args: Parameters<Router>) => (entered.count++, inner(...args)), { stack: inner.stack }) as unknown as Router;
  return { spy, entered };
}

describe('routers skipped by the first segment of the path', () => {
  it('tell the first segments of their routes, or that any path may reach them', () => {
    const plain = Router();
    plain.get('/donations', () => undefined);
    plain.post('/donations/:id/receive', () => undefined);
    plain.get('/Track/:code', () => undefined);
    expect(firstSegments(plain)).toEqual(new Set(['donations', 'track']));
    const param = Router();
    param.get('/:id', () => undefined);
    expect(firstSegments(param)).toBeUndefined();
    const wildcard = Router();
    wildcard.get('/*rest', () => undefined);
    expect(firstSegments(wildcard)).toBeUndefined();
    const middleware = Router();
    middleware.use((_req, _res, next) => next());
    middleware.get('/a', () => undefined);
    expect(firstSegments(middleware)).toBeUndefined();
  });

  it('are entered only by the paths they answer (case aside), in their order, and the others still reach theirs', async () => {
    const a = router('a', ['/alpha', '/alpha/:id', '/shared']);
    const b = router('b', ['/beta', '/shared']);
    const app = express();
    app.use(byFirstSegment(a.spy), byFirstSegment(b.spy));
    app.use((_req, res) => void res.status(404).json({ name: 'none' }));
    expect((await request(app).get('/alpha/7')).body).toEqual({ name: 'a' });
    expect((await request(app).get('/ALPHA')).body).toEqual({ name: 'a' });
    expect((await request(app).get('/shared')).body).toEqual({ name: 'a' });
    expect([a.entered.count, b.entered.count]).toEqual([3, 0]);
    expect((await request(app).get('/beta')).body).toEqual({ name: 'b' });
    expect([a.entered.count, b.entered.count]).toEqual([3, 1]);
    expect((await request(app).get('/gamma')).status).toBe(404);
    expect([a.entered.count, b.entered.count]).toEqual([3, 1]);
  });
});
