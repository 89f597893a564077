import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../support/app.ts';
import { sealedZone } from '../../../seeds/places.ts';
import { RoadMap } from '../../../server/network/network.service.ts';

// Real Monaco streets: from the Fontvieille depot to Monte-Carlo, and a door on the Rock (Monaco-Ville).
const depot = '43.7282,7.4148';
const monteCarlo = '43.7418,7.4287';
const onTheRock = '43.7308,7.4215';

describe('road network API on the real map', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite');
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);
  const path = (from: string, to: string, mode = 'van') => t.api.get(`/api/paths?from=${from}&to=${to}&mode=${mode}`).set(coordinator());

  it('serves the drivable and walkable layers as GeoJSON', async () => {
    const drive = await t.api.get('/api/network?layer=drive').set(bearer(t.tokens.driver)).expect(200);
    expect(drive.body.type).toBe('FeatureCollection');
    expect(drive.body.features.length).toBeGreaterThan(1000);
    expect(drive.body.features[0].geometry.type).toBe('LineString');
    const walk = await t.api.get('/api/network?layer=walk').set(bearer(t.tokens.driver)).expect(200);
    expect(walk.body.features.length).toBeGreaterThan(drive.body.features.length);
  });

  it('sends a layer gzipped to a client that takes gzip, as JSON to one that does not, and 304 to one that has it', async () => {
    const zipped = await t.api.get('/api/network?layer=drive').set(bearer(t.tokens.driver)).set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    const plain = await t.api.get('/api/network?layer=drive').set(bearer(t.tokens.driver)).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(zipped.body).toEqual(plain.body);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 3);
    const again = await t.api.get('/api/network?layer=drive').set(bearer(t.tokens.driver)).set('If-None-Match', plain.headers.etag!);
    expect(again.status).toBe(304);
    const simplified = await t.api.get('/api/network?layer=drive&simplify=50').set(bearer(t.tokens.driver)).expect(200);
    expect(simplified.headers.etag).not.toBe(plain.headers.etag);
  });

  it('finds a path with time, length and geometry', async () => {
    const res = await path(depot, monteCarlo).expect(200);
    expect(res.body).toMatchObject({ reachable: true, geometry: { type: 'LineString' } });
    expect(res.body.lengthM).toBeGreaterThan(1500);
    expect(res.body.timeS).toBeGreaterThan(60);
  });

  it('refuses bad coordinates with the field and the reason', async () => {
    const res = await path('95,7.42', monteCarlo).expect(400);
    expect(res.body.errors[0].field).toMatch(/^query\.from/);
    await path('here', monteCarlo).expect(400);
    await path(depot, monteCarlo, 'helicopter').expect(400);
    const sea = await path('43.70,7.45', monteCarlo).expect(422);
    expect(sea.body.detail).toMatch(/no drive road within/);
  });

  it('routes around a closure, says why when it cannot, and restores the road when lifted', async () => {
    const before = await path(depot, monteCarlo).expect(200);
    const [lon, lat] = before.body.geometry.coordinates[Math.floor(before.body.geometry.coordinates.length / 2)];
    const closed = await t.api.post('/api/network/closures').set(coordinator()).send({ lat, lon, radiusM: 15, reason: 'checkpoint' }).expect(201);
    expect(closed.body.segments).toBeGreaterThan(0);
    const around = await path(depot, monteCarlo).expect(200);
    if (around.body.reachable) expect(around.body.timeS).toBeGreaterThan(before.body.timeS);
    else expect(around.body.reason).toMatch(/closure/);
    const list = await t.api.get('/api/network/closures').set(coordinator()).expect(200);
    expect(list.body).toContainEqual(expect.objectContaining({ id: closed.body.id, reason: 'checkpoint', createdBy: t.userIds.coordinator }));
    await t.api.delete(`/api/network/closures/${closed.body.id}`).set(coordinator()).send({ reason: 'reopened' }).expect(200);
    const after = await path(depot, monteCarlo).expect(200);
    expect(after.body.timeS).toBeCloseTo(before.body.timeS, 6);
    await t.api.delete(`/api/network/closures/${closed.body.id}`).set(coordinator()).expect(409);
  });

  it('refuses a closure that matches no road, recording nothing', async () => {
    const res = await t.api.post('/api/network/closures').set(coordinator()).send({ lat: 43.70, lon: 7.45, radiusM: 10, reason: 'at sea' }).expect(400);
    expect(res.body.errors[0].field).toBe('where');
    expect((await t.api.get('/api/network/closures').set(coordinator())).body).toEqual([]);
    await t.api.post('/api/network/closures').set(bearer(t.tokens.driver)).send({ lat: 43.73, lon: 7.42, reason: 'x' }).expect(403);
  });

  it('keeps vehicles out of a sealed zone but lets volunteers walk in', async () => {
    const openPath = await path(depot, onTheRock, 'van').expect(200);
    expect(openPath.body.reachable).toBe(true);
    await t.api.post('/api/zones').set(coordinator()).send(sealedZone).expect(201);
    const sealed = await path(depot, onTheRock, 'van').expect(200);
    expect(sealed.body).toMatchObject({ reachable: false, reason: expect.stringMatching(/sealed zone/) });
    const gate = sealedZone.gates[0]!;
    const toGate = await path(depot, `${gate.lat},${gate.lon}`, 'van').expect(200);
    expect(toGate.body.reachable).toBe(true);
    const back = await path(`${gate.lat},${gate.lon}`, depot, 'van').expect(200);
    expect(back.body.reachable).toBe(true);
    const walk = await path(`${gate.lat},${gate.lon}`, onTheRock, 'foot').expect(200);
    expect(walk.body.reachable).toBe(true);
  });

  it('brings a new closure or a lifted one in alone, leaving the sealed zones applied as they were', async () => {
    const roads = new RoadMap(t.db);
    const zoneOf = (n: Awaited<ReturnType<RoadMap['network']>>) => [...n.restrictions].find(([label]) => label.includes('zone'))?.[1];
    // Uses at once (a plan's matrices and a driver's path) bring the zone in once, not once each.
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args));
    const [zone] = await Promise.all([1, 2, 3].map(() => roads.network().then(zoneOf)));
    spy.mockRestore();
    expect(errors).toEqual([]);
    expect(zone).toBeDefined();
    const closure = await t.api.post('/api/network/closures').set(coordinator()).send({ lat: 43.7395, lon: 7.4270, radiusM: 40, reason: 'checkpoint' }).expect(201);
    const closed = await roads.network();
    expect(closed.restrictions.size).toBe(2);
    expect(zoneOf(closed)).toBe(zone);
    await t.api.delete(`/api/network/closures/${closure.body.id}`).set(coordinator()).send({}).expect(200);
    const lifted = await roads.network();
    expect(lifted.restrictions.size).toBe(1);
    expect(zoneOf(lifted)).toBe(zone);
    // A gate moved: the zone alone is sealed again, with its new gate; opened, it is lifted.
    const [{ id: zoneId }] = await t.db.query<{ id: number }>('SELECT id FROM zones ORDER BY id LIMIT 1');
    const gates = sealedZone.gates.map((g, i) => (i === 0 ? { ...g, lat: g.lat + 0.0001 } : g));
    await t.api.put(`/api/zones/${zoneId}`).set(coordinator()).send({ gates }).expect(200);
    const moved = zoneOf(await roads.network());
    expect(moved).toBeDefined();
    expect(moved).not.toBe(zone);
    await t.api.put(`/api/zones/${zoneId}`).set(coordinator()).send({ status: 'open' }).expect(200);
    expect((await roads.network()).restrictions.size).toBe(0);
  });
});
