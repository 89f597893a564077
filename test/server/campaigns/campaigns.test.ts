import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { verifyDraw, type DrawResults } from '../../../server/campaigns/draw.ts';

const hour = 3600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe.each(databaseKinds)('campaigns on %s', (kind) => {
  let t: TestApp;
  let commodityId: number;
  /** Households by name, with their access codes. */
  const households = new Map<string, { id: number; code: string }>();
  const as = (role: 'coordinator' | 'community' | 'driver') => bearer(t.tokens[role]);
  const open = (body: Record<string, unknown> = {}) =>
    t.api
      .post('/api/campaigns')
      .set(as('coordinator'))
      .send({ commodityId, quantity: 3, opensAt: at(-hour), closesAt: at(hour), perHouseholdCap: 2, ...body })
      .expect(201)
      .then((res) => res.body as { id: number; seedHash: string });
  const ask = (campaignId: number, name: string, quantity = 1) => t.api.post(`/api/campaigns/${campaignId}/requests`).send({ code: households.get(name)!.code, quantity });

  beforeAll(async () => {
    t = await startTestApp(kind);
    commodityId = (await t.api.post('/api/commodities').set(as('coordinator')).send({ code: 'MASK', name: 'FFP2 masks', unit: 'box', weightKg: 0.2, volumeM3: 0.001, category: 'hygiene' }).expect(201)).body.id;
    const people = [
      { name: 'Ada', community: 'Condamine', infant: true },
      { name: 'Bo', community: 'Condamine', elderlyAlone: true },
      { name: 'Cy', community: 'Condamine' },
      { name: 'Di', community: 'Monte-Carlo' },
      { name: 'Ed', community: 'Condamine' },
      { name: 'Flo', community: 'Condamine' },
    ];
    for (const [i, p] of people.entries()) {
      const need = await t.api
        .post('/api/needs')
        .set(as('coordinator'))
        .send({ household: { address: `${i + 1} Rue Grimaldi`, phone: `+377 93 15 20 0${i}`, lat: 43.73, lon: 7.42, people: 2, ...p }, commodityId, quantity: 1 })
        .expect(201);
      const id = need.body.household.id as number;
      await t.db.query(`UPDATE needs SET status = 'cancelled' WHERE id = $1`, [need.body.need.id]);
      const { code } = (await t.api.post(`/api/households/${id}/access`).set(as('coordinator')).expect(201)).body;
      households.set(p.name, { id, code });
    }
  });
  afterAll(() => t.close());

  it('publishes the hash of a secret seed at opening and keeps the seed until closing', async () => {
    const { id, seedHash } = await open();
    expect(seedHash).toMatch(/^[0-9a-f]{64}$/);
    const page = await t.api.get(`/api/campaigns/${id}`).expect(200);
    expect(page.body).toMatchObject({ id, state: 'open', seedHash, entries: 0, remaining: 3, commodity: 'FFP2 masks' });
    expect(JSON.stringify(page.body)).not.toMatch(/"seed"/);
    expect(JSON.stringify((await t.api.get('/api/campaigns').expect(200)).body)).not.toMatch(/"seed"/);
    await t.api.get(`/api/campaigns/${id}/results`).expect(409);
    await t.api.post('/api/campaigns').set(as('community')).send({}).expect(403);
    const bad = await t.api.post('/api/campaigns').set(as('coordinator')).send({ commodityId, quantity: 3, opensAt: at(hour), closesAt: at(-hour), perHouseholdCap: 1 }).expect(400);
    expect(bad.body.errors).toContainEqual({ field: 'body.closesAt', reason: 'must be after opensAt' });
  });

  it('gives each household one entry: a repeat answers 200 with the same receipt, also when sent many times at once (past the per-code limit: 429)', async () => {
    const { id } = await open();
    const first = await ask(id, 'Ada').expect(201);
    expect(first.body.receipt).toMatch(/^[0-9A-Z]{16}$/);
    const again = await ask(id, 'Ada', 2).expect(200);
    expect(again.body.receipt).toBe(first.body.receipt);
    const burst = await Promise.all(Array.from({ length: 20 }, () => ask(id, 'Bo')));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    const accepted = burst.filter((r) => r.status === 200 || r.status === 201);
    expect(accepted).toHaveLength(12);
    expect(new Set(accepted.map((r) => r.body.receipt)).size).toBe(1);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited).toHaveLength(8);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
    const [{ n }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_entries WHERE campaign_id = $1', [id])) as [{ n: number }];
    expect(n).toBe(2);
    // Through the community worker, the same household's entry is the same one.
    const byWorker = await t.api.post(`/api/campaigns/${id}/entries`).set(as('coordinator')).send({ householdId: households.get('Ada')!.id, quantity: 1 }).expect(200);
    expect(byWorker.body.receipt).toBe(first.body.receipt);
  });

  it('judges eligibility and the cap on the household as stored, and refuses outside the window', async () => {
    const { id } = await open({ eligibility: { communities: ['Condamine'], flags: ['infant', 'elderlyAlone'] } });
    await ask(id, 'Ada').expect(201);
    const tooMany = await ask(id, 'Bo', 3).expect(400);
    expect(tooMany.body.errors).toEqual([{ field: 'body.quantity', reason: 'at most 2 per household in this campaign' }]);
    expect((await ask(id, 'Cy').expect(422)).body.code).toBe('not-eligible');
    expect((await ask(id, 'Di').expect(422)).body.code).toBe('not-eligible');
    // A correction of the household counts from then on.
    await t.db.query('UPDATE households SET disabled = false, elderly_alone = false WHERE id = $1', [households.get('Bo')!.id]);
    expect((await ask(id, 'Bo').expect(422)).body.code).toBe('not-eligible');

    const later = await open({ opensAt: at(hour), closesAt: at(2 * hour) });
    const early = await ask(later.id, 'Ada').expect(409);
    expect(early.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(early.body.code).toBe('not-open');
    await t.api.post(`/api/campaigns/${id}/close`).set(as('coordinator')).expect(200);
    expect((await ask(id, 'Ada').expect(409)).body.code).toBe('closed');
  });

  it('answers a wrong code 404 like the resident page, and a community worker only for their households', async () => {
    const { id } = await open();
    const wrong = await t.api.post(`/api/campaigns/${id}/requests`).send({ code: '0000000000000000', quantity: 1 }).expect(404);
    expect(wrong.body.code).toBe('not-found');
    await t.api.post(`/api/campaigns/${id}/requests`).send({ code: 'nonsense', quantity: 1 }).expect(404);
    await t.api.post(`/api/campaigns/999999/requests`).send({ code: households.get('Ada')!.code, quantity: 1 }).expect(404);
    await t.api.patch(`/api/users/${t.userIds.community}`).set(bearer(t.tokens.admin)).send({ communities: ['Monte-Carlo'] }).expect(200);
    const login = await t.api.post('/api/auth/login').send({ email: 'community@test.local', password: 'correct-horse-battery' });
    const worker = bearer(login.body.token);
    await t.api.post(`/api/campaigns/${id}/entries`).set(worker).send({ householdId: households.get('Ada')!.id, quantity: 1 }).expect(404);
    await t.api.post(`/api/campaigns/${id}/entries`).set(worker).send({ householdId: households.get('Di')!.id, quantity: 1 }).expect(201);
    await t.api.post(`/api/campaigns/${id}/entries`).set(as('driver')).send({ householdId: households.get('Di')!.id, quantity: 1 }).expect(403);
  });

  it('closes with the seed revealed and a draw by tier then lottery that verify-draw confirms; winners become needs', async () => {
    const { id, seedHash } = await open({ quantity: 3 });
    const receipts = new Map<string, string>();
    for (const name of ['Cy', 'Ed', 'Flo', 'Ada', 'Di']) receipts.set(name, (await ask(id, name, 1).expect(201)).body.receipt);
    const closed = await t.api.post(`/api/campaigns/${id}/close`).set(as('coordinator')).expect(200);
    const results = closed.body as DrawResults;
    expect(results.seedHash).toBe(seedHash);
    expect(verifyDraw(results)).toBeUndefined();
    expect((await t.api.get(`/api/campaigns/${id}/results`).expect(200)).body).toEqual(results);
    // No person: neither receipts nor households, only hashed receipts.
    const text = JSON.stringify(results);
    for (const receipt of receipts.values()) expect(text).not.toContain(receipt);
    expect(text).not.toMatch(/Ada|Condamine|household/);
    // Ada (an infant) is tier 1: first whatever the lottery says; two of the four others win.
    expect(results.entries[0]).toMatchObject({ tier: 1, rank: 1, outcome: 'won' });
    expect(results.entries.map((e) => e.outcome)).toEqual(['won', 'won', 'won', 'waiting', 'waiting']);
    expect(results.entries.slice(3).map((e) => e.waitingPlace)).toEqual([1, 2]);
    const needs = await t.db.query<{ household_id: number; quantity: number; sources: string[] }>(`SELECT household_id, quantity, sources FROM needs WHERE $1 = ANY(sources)`, [`campaign:${id}`]);
    expect(needs).toHaveLength(3);
    expect(needs.map((n) => n.household_id)).toContain(households.get('Ada')!.id);
    const page = await t.api.get(`/api/campaigns/${id}`).expect(200);
    expect(page.body).toMatchObject({ state: 'closed', entries: 5, remaining: 0 });
    // Each household reads its own entry and place.
    const mine = await t.api.get(`/api/campaigns/${id}/entries/${households.get('Ada')!.code}`).expect(200);
    expect(mine.body).toMatchObject({ receipt: receipts.get('Ada'), status: 'won', waitingPlace: null });
    // Closing again changes nothing.
    expect((await t.api.post(`/api/campaigns/${id}/close`).set(as('coordinator')).expect(200)).body).toEqual(results);
  });

  it('shows the coordinator entries per minute, the tier mix and the time left', async () => {
    const { id } = await open();
    await ask(id, 'Ada').expect(201);
    await ask(id, 'Cy').expect(201);
    const live = await t.api.get(`/api/campaigns/${id}/live`).set(as('coordinator')).expect(200);
    expect(live.body.tiers).toEqual([
      { tier: 1, entries: 1 },
      { tier: 3, entries: 1 },
    ]);
    expect(live.body.perMinute.reduce((sum: number, m: { entries: number }) => sum + m.entries, 0)).toBe(2);
    expect(live.body.timeLeftS).toBeGreaterThan(3000);
    await t.api.get(`/api/campaigns/${id}/live`).expect(401);
  });
});
