import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, post } from '../../support/records.ts';
import { insertHouseholds } from '../../../server/needs/households.repo.ts';
import { flagsOf, insertNeeds } from '../../../server/needs/needs.repo.ts';
import { defaultPolicy, tierOf } from '../../../solver/allocation/policy.ts';
import { urgencies } from '../../../domain/values.ts';
import { addressKey, phoneKey } from '../../../server/needs/households.service.ts';
import { foldNeedCells } from '../../../server/needs/need-map.repo.ts';
import type { NeedMap } from '../../../server/needs/needs.schema.ts';

// Two neighbourhoods a few kilometres apart (Monaco and Menton), and one household far from both.
const MONACO = { lat: 43.735, lon: 7.42, community: 'Monaco' };
const MENTON = { lat: 43.776, lon: 7.5, community: 'Menton' };
const ALL: [number, number, number, number] = [7.3, 43.6, 7.7, 43.9];
/** The households' flag columns need_tier reads. */
const householdFlags = ['infant', 'pregnant', 'elderly_alone', 'disabled', 'chronic_illness'] as const;
const JUST_MONACO: [number, number, number, number] = [7.39, 43.72, 7.45, 43.75];

describe.each(databaseKinds)('the needs map, on %s', (kind) => {
  let t: TestApp;
  let worker: string;
  let rice: number;
  const map = (bbox: readonly number[], zoom: number, token = t.tokens.coordinator) => t.api.get('/api/map/needs').query({ bbox: bbox.join(','), zoom }).set(bearer(token));
  const openNeedsIn = async ([w, s, e, n]: readonly number[], community?: string) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM needs JOIN households h ON h.id = household_id WHERE status = 'open' AND h.lon BETWEEN $1 AND $3 AND h.lat BETWEEN $2 AND $4 AND ($5::text IS NULL OR h.community = $5)`,
        [w, s, e, n, community ?? null],
      )
    )[0]!.n;
  const counted = (m: NeedMap) => m.clusters.reduce((sum, c) => sum + c.count, 0) + m.needs.length;

  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = (await aCommodity(t)).id;
    const oil = (await aCommodity(t, { code: 'OIL', name: 'Oil' })).id;
    let i = 0;
    const around = (place: typeof MONACO, n: number, flags: Record<string, boolean> = {}) =>
      Array.from({ length: n }, (_, k) => {
        const address = `${++i} Test street`;
        const phone = `+377 ${String(10_000_000 + i)}`;
        return { name: `Household ${i}`, address, phone, lat: place.lat + (k % 20) * 2e-4, lon: place.lon + Math.floor(k / 20) * 2e-4, people: 2, community: place.community, addressKey: addressKey(address), phoneKey: phoneKey(phone), ...flags };
      });
    const households = await insertHouseholds(t.db, [...around(MONACO, 300), ...around(MONACO, 20, { infant: true }), ...around(MENTON, 150), ...around({ lat: 43.65, lon: 7.65, community: 'Monaco' }, 1)]);
    // Two needs a household in bulk, as an import writes them; a few fulfilled or cancelled, which the map leaves out.
    const needs = await insertNeeds(t.db, households.flatMap(({ id }) => [rice, oil].map((commodityId) => ({ householdId: id, commodityId, quantity: 4, urgency: 'normal' as const, deadline: null, sources: ['test'] }))));
    await t.db.query(`UPDATE needs SET status = 'cancelled' WHERE id = ANY($1)`, [needs.slice(0, 10).map((n) => n.id)]);
    await t.db.query(`UPDATE needs SET fulfilled = quantity, status = 'fulfilled' WHERE id = ANY($1)`, [needs.slice(10, 20).map((n) => n.id)]);
    await t.db.query(`UPDATE needs SET fulfilled = 2 WHERE id = ANY($1)`, [needs.slice(20, 40).map((n) => n.id)]);
    const created = await post(t, '/api/users', { email: 'menton@test.local', name: 'Menton worker', role: 'community', password: PASSWORD, communities: ['Menton'] }, 'admin');
    expect(created.communities).toEqual(['Menton']);
    worker = (await t.api.post('/api/auth/login').send({ email: 'menton@test.local', password: PASSWORD }).expect(200)).body.token;
  });
  afterAll(() => t.close());

  it('puts each need in the tier the allocation gives it (the database’s need_tier and the default policy agree)', async () => {
    for (let mask = 0; mask < 2 ** householdFlags.length; mask++) {
      for (const urgency of urgencies) {
        const row = Object.fromEntries(householdFlags.map((flag, i) => [flag, (mask & (1 << i)) !== 0]));
        const [{ tier }] = (await t.db.query<{ tier: number }>('SELECT need_tier($1, $2, $3, $4, $5, $6) AS tier', [row.infant, row.pregnant, row.elderly_alone, row.disabled, row.chronic_illness, urgency])) as [{ tier: number }];
        expect(tier, `${JSON.stringify(row)} ${urgency}`).toBe(tierOf({ id: '', commodityId: '', quantity: 1, flags: flagsOf(row), urgency }, defaultPolicy));
      }
    }
  });

  it('clusters the open needs of the view, every one counted once, zoomed out and zoomed in', async () => {
    for (const [bbox, zoom] of [[ALL, 10], [ALL, 13], [JUST_MONACO, 14], [JUST_MONACO, 16], [JUST_MONACO, 17]] as const) {
      const res = await map(bbox, zoom).expect(200);
      const m = res.body as NeedMap;
      const expected = await openNeedsIn(bbox);
      expect(counted(m), `zoom ${zoom}`).toBe(expected);
      expect(m.total).toBe(expected);
      expect(m.tiers[1] + m.tiers[2] + m.tiers[3]).toBe(expected);
      for (const c of m.clusters) {
        expect(c.tiers[1] + c.tiers[2] + c.tiers[3]).toBe(c.count);
        expect(c.count).toBeGreaterThanOrEqual(5);
        const [w, s, e, n] = c.bounds;
        expect(c.lon).toBeGreaterThanOrEqual(w);
        expect(c.lon).toBeLessThanOrEqual(e);
        expect(c.lat).toBeGreaterThanOrEqual(s);
        expect(c.lat).toBeLessThanOrEqual(n);
      }
    }
    // Zoomed out: Monaco's needs are one bubble with its infants' tier 1, Menton's another; the lone household is drawn alone.
    const out = (await map(ALL, 10).expect(200)).body as NeedMap;
    expect(out.clusters).toHaveLength(2);
    const monaco = out.clusters.find((c) => Math.abs(c.lat - MONACO.lat) < 0.01)!;
    expect(monaco.worstTier).toBe(1);
    expect(monaco.tiers[1]).toBe(40);
    expect(out.clusters.find((c) => c !== monaco)!.worstTier).toBe(3);
    expect(out.needs.map((n) => [n.household, n.lat, n.lon])).toEqual([
      ['Household 471', 43.65, 7.65],
      ['Household 471', 43.65, 7.65],
    ]);
    // Monaco's bubble: 320 households' 640 needs less the 20 cancelled or fulfilled; 20 half delivered.
    expect(monaco.count).toBe(620);
    expect(monaco.fulfilled).toBeCloseTo(40 / (620 * 4), 6);
    // Zoomed in past the clusters: each need on its own, with its household and tier.
    const close = (await map(JUST_MONACO, 18).expect(200)).body as NeedMap;
    expect(close.clusters).toEqual([]);
    expect(close.needs).toHaveLength(620);
    expect(close.needs.filter((n) => n.tier === 1)).toHaveLength(40);
    expect(close.needs.find((n) => n.fulfilled === 0.5)).toBeDefined();
  });

  it('follows the needs as they change: a new need, a delivery, a household that moves, a need cancelled', async () => {
    const before = (await map(ALL, 10).expect(200)).body as NeedMap;
    const { need, household } = await post(t, '/api/needs', {
      household: { name: 'Newcomer', address: '1 Quai Antoine', lat: MENTON.lat + 0.001, lon: MENTON.lon, people: 3, community: 'Menton', pregnant: true },
      commodityId: rice,
      quantity: 2,
    });
    const after = (await map(ALL, 10).expect(200)).body as NeedMap;
    expect(after.total).toBe(before.total + 1);
    const menton = (m: NeedMap) => m.clusters.find((c) => Math.abs(c.lat - MENTON.lat) < 0.01)!;
    expect(menton(after).worstTier).toBe(1);
    await t.db.query('UPDATE needs SET fulfilled = 1 WHERE id = $1', [need.id]);
    expect(menton((await map(ALL, 10).expect(200)).body).fulfilled).toBeGreaterThan(menton(after).fulfilled);
    // Moved next to Monaco by a correction: its need goes with it.
    await t.api.patch(`/api/households/${household.id}`).set(bearer(t.tokens.coordinator)).send({ lat: MONACO.lat, lon: MONACO.lon, version: household.version }).expect(200);
    const moved = (await map(ALL, 10).expect(200)).body as NeedMap;
    expect(menton(moved).count).toBe(menton(before).count);
    expect(counted(moved)).toBe(await openNeedsIn(ALL));
    await t.api.patch(`/api/needs/${need.id}`).set(bearer(t.tokens.coordinator)).send({ status: 'cancelled', version: need.version }).expect(200);
    const folded = await foldNeedCells(t.db);
    expect(folded).toBeGreaterThan(0);
    const cancelled = (await map(ALL, 10).expect(200)).body as NeedMap;
    expect(cancelled.total).toBe(before.total);
    expect(counted(cancelled)).toBe(await openNeedsIn(ALL));
  });

  it("shows a community worker only their communities' needs, and drivers none", async () => {
    const theirs = (await map(ALL, 10, worker).expect(200)).body as NeedMap;
    expect(theirs.total).toBe(await openNeedsIn(ALL, 'Menton'));
    expect(theirs.total).toBeGreaterThan(0);
    const close = (await map([7.49, 43.77, 7.51, 43.78], 18, worker).expect(200)).body as NeedMap;
    expect(close.needs.length).toBe(await openNeedsIn([7.49, 43.77, 7.51, 43.78], 'Menton'));
    expect((await map(JUST_MONACO, 18, worker).expect(200)).body.total).toBe(0);
    const driver = await map(ALL, 10, t.tokens.driver);
    expect(driver.status).toBe(403);
    await t.api.get('/api/map/needs').query({ bbox: ALL.join(','), zoom: 10 }).expect(401);
  });

  it('refuses a bad view with a problem naming the field', async () => {
    for (const [query, field] of [
      [{ bbox: '7.3,43.6,7.7', zoom: 10 }, 'query.bbox'],
      [{ bbox: 'west,43.6,7.7,43.9', zoom: 10 }, 'query.bbox'],
      [{ bbox: '7.7,43.6,7.3,43.9', zoom: 10 }, 'query.bbox'],
      [{ bbox: '7.3,43.6,7.7,95', zoom: 10 }, 'query.bbox.3'],
      [{ bbox: '7.3,43.6,7.7,43.9' }, 'query.zoom'],
      [{ bbox: '7.3,43.6,7.7,43.9', zoom: 30 }, 'query.zoom'],
      [{ bbox: '7.3,43.6,7.7,43.9', zoom: 10, status: 'open' }, 'query.status'],
    ] as const) {
      const res = await t.api.get('/api/map/needs').query(query).set(bearer(t.tokens.coordinator));
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});
