import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp, createLive } from '../../../server/app.ts';
import { RoadMap } from '../../../server/network/network.service.ts';
import express from 'express';
import { helmetFor, securityHeaders, tileSource } from '../../../server/http/headers.ts';
import { openTestDatabase } from '../../support/app.ts';

describe('security headers', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let api: ReturnType<typeof request>;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    api = request(createApp({ db, ...createLive(db), roads: new RoadMap(db), tileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png' }));
  });
  afterAll(() => db.drop());

  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  for (const path of ['/', '/coordinator/map', '/api/health', '/api/no-such-thing']) {
    it(`are on ${path}: a strict CSP, no framing, no sniffing, no referrer`, async () => {
      const res = await api.get(path);
      const csp = directives(res.headers['content-security-policy'] ?? '');
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(csp.get('form-action')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('worker-src')).toEqual(["'self'"]);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'https://*.tile.openstreetmap.org']);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });
  }

  it('serves the service worker to be revalidated on every check, so phones get a new version of the app', async () => {
    const res = await api.get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('are the very headers helmet sets on each answer, worked out once', async () => {
    const tileUrl = 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png';
    const answer = async (headers: express.RequestHandler) => {
      const app = express();
      // X-Powered-By left on: helmet removes it, and so must the headers worked out once.
      app.use(headers, (_req, res) => void res.json({ ok: true }));
      const res = await request(app).post('/any').send({});
      const { date: _date, ...rest } = res.headers;
      return rest;
    };
    const once = await answer(securityHeaders({ tileUrl }));
    expect(once).toEqual(await answer(helmetFor({ tileUrl })));
    expect(once['x-powered-by']).toBeUndefined();
    expect(Object.keys(once).length).toBeGreaterThan(12);
  });

  it('allows the map tiles’ host only when a tile URL is configured', () => {
    expect(tileSource(undefined)).toBeUndefined();
    expect(tileSource('https://tiles.example.org/{z}/{x}/{y}.png')).toBe('https://tiles.example.org');
  });
});
