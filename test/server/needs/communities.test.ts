import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { connect } from '../../support/sockets.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';

describe.each(databaseKinds)('community workers tied to their communities, on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let rice: number;
  let worker: { id: number; token: string };
  let elsewhere: { needId: number; householdId: number };
  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen({ channel: `communities-${randomBytes(4).toString('hex')}` });
    rice = (await aCommodity(t)).id;
    const created = await post(t, '/api/users', { email: 'fontvieille@test.local', name: 'Fontvieille worker', role: 'community', password: PASSWORD, communities: ['Fontvieille'] }, 'admin');
    expect(created.communities).toEqual(['Fontvieille']);
    const login = await t.api.post('/api/auth/login').send({ email: 'fontvieille@test.local', password: PASSWORD }).expect(200);
    worker = { id: created.id, token: login.body.token };
    const { need, household } = await post(t, '/api/needs', { household: aHousehold({ address: '3 Rue Grimaldi', community: 'La Condamine' }), commodityId: rice, quantity: 2 }, 'coordinator');
    elsewhere = { needId: need.id, householdId: household.id };
  });
  afterAll(() => t.close());

  it('records needs in their community and refuses others with the field, writing nothing', async () => {
    const ok = await t.api.post('/api/needs').set(bearer(worker.token)).send({ household: aHousehold({ address: '1 Rue de la Lüjerneta', community: 'Fontvieille' }), commodityId: rice, quantity: 1 });
    expect(ok.status).toBe(201);
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households');
    const refused = await t.api.post('/api/needs').set(bearer(worker.token)).send({ household: aHousehold({ address: '9 Rue Princesse Caroline', community: 'La Condamine' }), commodityId: rice, quantity: 1 });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors).toEqual([{ field: 'body.household.community', reason: expect.stringMatching(/La Condamine is not one of your communities/) }]);
    const byId = await t.api.post('/api/needs').set(bearer(worker.token)).send({ householdId: elsewhere.householdId, commodityId: rice, quantity: 1 });
    expect(byId.status).toBe(404);
    expect(byId.body.errors[0].field).toBe('body.householdId');
    expect(JSON.stringify(byId.body)).not.toMatch(/Condamine|Grimaldi/);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('lists, reads and edits only their communities’ needs and households', async () => {
    const list = await t.api.get('/api/needs').set(bearer(worker.token)).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(new Set(list.body.items.map((n: { household: { community: string } }) => n.household.community))).toEqual(new Set(['Fontvieille']));
    const all = await t.api.get('/api/needs').set(bearer(t.tokens.community)).expect(200);
    expect(all.body.items.some((n: { household: { community: string } }) => n.household.community === 'La Condamine')).toBe(true);
    const theirs = {
      'GET need': t.api.get(`/api/needs/${elsewhere.needId}`),
      'GET household': t.api.get(`/api/households/${elsewhere.householdId}`),
      'GET history': t.api.get(`/api/households/${elsewhere.householdId}/history`),
      'PATCH need': t.api.patch(`/api/needs/${elsewhere.needId}`).send({ quantity: 5, version: 1 }),
      'PATCH household': t.api.patch(`/api/households/${elsewhere.householdId}`).send({ phone: '+377 00 00 00 00', version: 1 }),
    };
    for (const [name, request] of Object.entries(theirs)) {
      const res = await request.set(bearer(worker.token));
      // Exactly what a missing id gets: nothing confirms the record, nothing names its community.
      expect(res.status, name).toBe(404);
      expect(res.body.detail).toMatch(/^(need|household) \d+ does not exist$/);
      expect(JSON.stringify(res.body)).not.toMatch(/Condamine|Grimaldi/);
    }
    const own = list.body.items[0];
    const moved = await t.api.patch(`/api/households/${own.household.id}`).set(bearer(worker.token)).send({ community: 'La Condamine', version: own.household.version });
    expect(moved.status).toBe(403);
    expect(moved.body.errors[0].field).toBe('body.community');
    const { need } = await t.api.get(`/api/needs/${elsewhere.needId}`).set(bearer(t.tokens.coordinator)).expect(200).then((r) => ({ need: r.body }));
    expect(need.quantity).toBe(2);
  });

  it('lists only their communities for the need sheet, each with its open needs counted on the server', async () => {
    const own = (await t.api.get('/api/needs').set(bearer(worker.token)).expect(200)).body.items[0];
    const oil = (await aCommodity(t, { name: 'Oil' })).id;
    const { need: dropped } = await post(t, '/api/needs', { householdId: own.household.id, commodityId: oil, quantity: 1 }, 'coordinator');
    await t.api.patch(`/api/needs/${dropped.id}`).set(bearer(t.tokens.coordinator)).send({ status: 'cancelled', version: dropped.version }).expect(200);
    const theirs = await t.api.get('/api/needs/communities').set(bearer(worker.token)).expect(200);
    expect(theirs.body.items).toEqual([{ name: 'Fontvieille', openNeeds: 1 }]);
    expect(theirs.headers['x-total-count']).toBe('1');
    const all = await t.api.get('/api/needs/communities').set(bearer(t.tokens.coordinator)).expect(200);
    expect(all.body.items).toEqual([
      { name: 'Fontvieille', openNeeds: 1 },
      { name: 'La Condamine', openNeeds: 1 },
    ]);
    // A community whose households have no open need left is still listed, with none.
    const { need: served } = await post(t, '/api/needs', { household: aHousehold({ address: '2 Place du Palais', community: 'Monaco-Ville' }), commodityId: rice, quantity: 1 }, 'coordinator');
    await t.api.patch(`/api/needs/${served.id}`).set(bearer(t.tokens.coordinator)).send({ status: 'cancelled', version: served.version }).expect(200);
    const withEmpty = await t.api.get('/api/needs/communities').set(bearer(t.tokens.coordinator)).expect(200);
    expect(withEmpty.body.items).toContainEqual({ name: 'Monaco-Ville', openNeeds: 0 });
    const bad = await t.api.get('/api/needs/communities').query({ limit: 'many' }).set(bearer(worker.token));
    expect(bad.status).toBe(400);
    await t.api.get('/api/needs/communities').set(bearer(t.tokens.driver)).expect(403);
  });

  it('refuses a file with rows of other communities, naming their lines, and writes nothing', async () => {
    const csv = ['name,address,phone,lat,lon,people,community,commodity,quantity', `Ours,2 Rue du Gabian,,43.7305,7.4165,2,Fontvieille,${(await t.db.query<{ code: string }>('SELECT code FROM commodities WHERE id = $1', [rice]))[0]!.code},1`, 'Theirs,4 Rue Grimaldi,,43.7335,7.4195,2,La Condamine,' + (await t.db.query<{ code: string }>('SELECT code FROM commodities WHERE id = $1', [rice]))[0]!.code + ',1'].join('\n');
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM needs');
    const res = await t.api.post('/api/needs/import?source=sheet').set(bearer(worker.token)).set('content-type', 'text/csv').send(csv).expect(400);
    expect(res.body.errors).toEqual([{ field: 'line 3: community', reason: expect.stringMatching(/La Condamine is not one of your communities/) }]);
    expect(await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM needs')).toEqual(before);
  });

  it('hears only of their communities’ need changes', async () => {
    const restricted = connect(url, worker.token);
    const everyone = connect(url, t.tokens.community);
    await Promise.all([restricted.hello, everyone.hello]);
    await t.api.patch(`/api/needs/${elsewhere.needId}`).set(bearer(t.tokens.coordinator)).send({ quantity: 3, version: 1 }).expect(200);
    await everyone.next((e) => e.type === 'need:changed' && (e.data as { needId: number }).needId === elsewhere.needId);
    await new Promise((r) => setTimeout(r, 200));
    expect(restricted.received.filter((e) => e.type === 'need:changed' && (e.data as { community: string }).community !== 'Fontvieille')).toEqual([]);
    restricted.close();
    everyone.close();
  });

  it('lets an admin change a worker’s communities, refusing them for other roles', async () => {
    const widened = await t.api.patch(`/api/users/${worker.id}`).set(bearer(t.tokens.admin)).send({ communities: ['Fontvieille', 'La Condamine'] }).expect(200);
    expect(widened.body.communities).toEqual(['Fontvieille', 'La Condamine']);
    await t.api.get(`/api/needs/${elsewhere.needId}`).set(bearer(worker.token)).expect(200);
    const wrong = await t.api.patch(`/api/users/${t.userIds.driver}`).set(bearer(t.tokens.admin)).send({ communities: ['Fontvieille'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('body.communities');
    const created = await t.api.post('/api/users').set(bearer(t.tokens.admin)).send({ email: 'd2@test.local', name: 'D2', role: 'driver', password: PASSWORD, communities: ['Fontvieille'] });
    expect(created.status).toBe(400);
    expect(created.body.errors[0].field).toBe('body.communities');
    await t.api.patch(`/api/users/${worker.id}`).set(bearer(t.tokens.coordinator)).send({ communities: null }).expect(403);
    await t.api.patch(`/api/users/${worker.id}`).set(bearer(t.tokens.admin)).send({ active: false }).expect(200);
    await t.api.get('/api/needs').set(bearer(worker.token)).expect(401);
  });
});
