import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { createApp, createLive } from '../../../server/app.ts';
import { RoadMap } from '../../../server/network/network.service.ts';

const hour = 3600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy 150 ms of every ~160, as a server drowning in requests would be. */
function busyLoop(): () => void {
  const timer = setInterval(() => {
    const end = performance.now() + 150;
    while (performance.now() < end);
  }, 10);
  return () => clearInterval(timer);
}

describe.each(databaseKinds)('load shedding on %s', (kind) => {
  let t: TestApp;
  let campaignId: number;
  const codes: string[] = [];
  const entries = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_entries WHERE campaign_id = $1', [campaignId]))[0]!.n;
  const ask = (api: ReturnType<typeof request>, code: string) => api.post(`/api/campaigns/${campaignId}/requests`).send({ code, quantity: 1 });

  beforeAll(async () => {
    t = await startTestApp(kind);
    const coordinator = bearer(t.tokens.coordinator);
    const commodityId = (await t.api.post('/api/commodities').set(coordinator).send({ code: 'MASK', name: 'FFP2 masks', unit: 'box', weightKg: 0.2, volumeM3: 0.001, category: 'hygiene' }).expect(201)).body.id;
    for (let i = 0; i < 16; i++) {
      const need = await t.api
        .post('/api/needs')
        .set(coordinator)
        .send({ household: { name: `H${i}`, address: `${i + 1} Rue Grimaldi`, phone: `+377 93 15 ${String(1000 + i)}`, lat: 43.73, lon: 7.42, people: 2, community: 'Condamine' }, commodityId, quantity: 1 })
        .expect(201);
      codes.push((await t.api.post(`/api/households/${need.body.household.id}/access`).set(coordinator).expect(201)).body.code);
    }
    campaignId = (await t.api.post('/api/campaigns').set(coordinator).send({ commodityId, quantity: 100, opensAt: at(-hour), closesAt: at(hour), perHouseholdCap: 2 }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('leaves normal load untouched: a burst of requests on a quiet loop is all taken', async () => {
    const answers = await Promise.all(codes.slice(0, 10).map((code) => ask(t.api, code)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const pages = await Promise.all(Array.from({ length: 30 }, () => t.api.get(`/api/campaigns/${campaignId}`)));
    expect(pages.every((p) => p.status === 200)).toBe(true);
  });

  it('refuses the public at the door while the event loop runs late: 503 problem+json with Retry-After, before the body is read, nothing recorded; staff and the health check still get through', async () => {
    const before = await entries();
    const stop = busyLoop();
    try {
      await sleep(1000);
      const refused = await ask(t.api, codes[11]!);
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('busy');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Not even parsed: a malformed body is refused as busy, not as malformed.
      const unparsed = await t.api.post(`/api/campaigns/${campaignId}/requests`).set('content-type', 'application/json').send('{"code": ');
      expect(unparsed.status).toBe(503);
      expect((await t.api.get(`/api/resident/${codes[12]}`)).status).toBe(503);
      // The coordinator (a session seen live) watches the rush, and the load balancer still sees the server up.
      await t.api.get(`/api/campaigns/${campaignId}/live`).set(bearer(t.tokens.coordinator)).expect(200);
      await t.api.get('/api/health').expect(200);
    } finally {
      stop();
    }
    expect(await entries()).toBe(before);
    await sleep(300);
    await ask(t.api, codes[11]!).expect(201);
  });

  describe('with a small budget of requests in hand', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const app = createApp({ db: t.db, ...createLive(t.db), roads: new RoadMap(t.db), overload: { maxDelayMs: 60_000, targetMs: 250, minInFlight: 2, maxInFlight: { public: 2, staff: 2, 'sign-in': 2 } } });
      server = createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    /** A request whose headers are sent and whose body is not finished: in hand until `finish`. */
    function held(code: string): { finish(): Promise<number> } {
      const body = JSON.stringify({ code, quantity: 1 });
      let req: ClientRequest;
      const status = new Promise<number>((resolve, reject) => {
        req = httpRequest(`${base}/api/campaigns/${campaignId}/requests`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on('error', reject);
        req.write(body.slice(0, 5));
      });
      return {
        finish: () => {
          req.end(body.slice(5));
          return status;
        },
      };
    }

    it('refuses the public past its budget, while staff keep their own', async () => {
      const api = request(base);
      const first = held(codes[13]!);
      const second = held(codes[14]!);
      await sleep(200);
      const refused = await ask(api, codes[15]!);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await api.get(`/api/campaigns/${campaignId}/live`).set(bearer(t.tokens.coordinator)).expect(200);
      expect(await first.finish()).toBe(201);
      expect(await second.finish()).toBe(201);
      await ask(api, codes[15]!).expect(201);
    });
  });
});
