import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';

describe.each(databaseKinds)('reports matching another community’s household, on %s', (kind) => {
  let t: TestApp;
  let rice: { id: number; code: string };
  let theirs: { id: number; version: number };
  const tokens: Record<string, string> = {};
  const reported = { address: '3, rue Grimaldi', phone: '93 11 22 33' };
  const signIn = async (email: string, communities: string[]) => {
    await post(t, '/api/users', { email, name: email, role: 'community', password: PASSWORD, communities }, 'admin');
    tokens[email] = (await t.api.post('/api/auth/login').send({ email, password: PASSWORD }).expect(200)).body.token;
  };
  const storedHousehold = async () => (await t.db.query('SELECT name, community, people, chronic_illness, infant, phone, version FROM households WHERE id = $1', [theirs.id]))[0];
  const worker = () => bearer(tokens['fontvieille@test.local']!);

  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = await aCommodity(t, { code: 'RICE' });
    await signIn('fontvieille@test.local', ['Fontvieille']);
    await signIn('condamine@test.local', ['La Condamine']);
    const created = await post(t, '/api/needs', {
      household: aHousehold({ name: 'Grimaldi household', address: '3 Rue Grimaldi', phone: '+377 93 11 22 33', community: 'La Condamine', people: 4, chronicIllness: true }),
      commodityId: rice.id,
      quantity: 2,
    });
    theirs = created.household;
  });
  afterAll(() => t.close());

  /** Nothing of the matched household: not its name, community, people, phone or flags. */
  const revealsNothing = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(/Grimaldi household|Condamine|chronicIllness|chronic_illness|"people"|\+377 93 11 22 33/);

  it('holds a form report for a coordinator’s review, answering 409 with the review id only, and leaves the household as it was', async () => {
    const before = await storedHousehold();
    const res = await t.api.post('/api/needs').set(worker()).send({
      household: aHousehold({ ...reported, name: 'Taken over', community: 'Fontvieille', people: 1 }),
      commodityId: rice.id,
      quantity: 5,
    });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ held: true, reviewId: expect.any(Number), detail: expect.stringMatching(/held for a coordinator's review/) });
    revealsNothing(res.body);
    expect(await storedHousehold()).toEqual(before);
    expect(await t.db.query('SELECT quantity FROM needs WHERE household_id = $1', [theirs.id])).toEqual([{ quantity: 2 }]);
  });

  it('holds such CSV rows too, counting them by line, and imports the rest', async () => {
    const before = await storedHousehold();
    const csv = [
      'name,address,phone,lat,lon,people,community,commodity,quantity,chronic_illness',
      `Ours,2 Rue du Gabian,,43.7305,7.4165,2,Fontvieille,${rice.code},1,no`,
      `Taken over,3 RUE GRIMALDI,+377 93 11 22 33,43.7305,7.4165,1,Fontvieille,${rice.code},7,no`,
    ].join('\n');
    const res = await t.api.post('/api/needs/import?source=sheet').set(worker()).set('content-type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ rows: 2, created: 1, merged: 0, held: 1 });
    expect(res.body.report[1]).toEqual({ line: 3, status: 'held', reviewId: expect.any(Number) });
    revealsNothing(res.body);
    expect(await storedHousehold()).toEqual(before);
    const preview = await t.api.post('/api/needs/import?preview=true').set(worker()).set('content-type', 'text/csv').send(csv).expect(200);
    expect(preview.body.report.map((r: { status: string }) => r.status)).toEqual(['merged', 'held']);
    revealsNothing(preview.body);
  });

  it('lets coordinators, not workers, list held reports and decide once: accepting records the need on that household, its community unchanged', async () => {
    await t.api.get('/api/household-reviews').set(worker()).expect(403);
    const list = await t.api.get('/api/household-reviews').set(bearer(t.tokens.coordinator)).expect(200);
    expect(list.body.total).toBe(2);
    const [form, row] = list.body.items;
    expect(form).toMatchObject({ state: 'pending', householdId: theirs.id, source: 'form', household: { community: 'La Condamine' }, report: { quantity: 5 } });
    expect(row).toMatchObject({ source: 'import:sheet', report: { quantity: 7 } });
    const accepted = await t.api.post(`/api/household-reviews/${form.id}/decide`).set(bearer(t.tokens.coordinator)).send({ decision: 'accept' }).expect(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', needId: expect.any(Number), decidedBy: t.userIds.coordinator });
    const need = await t.api.get(`/api/needs/${accepted.body.needId}`).set(bearer(t.tokens.coordinator)).expect(200);
    expect(need.body).toMatchObject({ householdId: theirs.id, quantity: 5, household: { community: 'La Condamine', chronicIllness: true } });
    await t.api.post(`/api/household-reviews/${form.id}/decide`).set(bearer(t.tokens.coordinator)).send({ decision: 'reject' }).expect(409);
    await t.api.post(`/api/household-reviews/${row.id}/decide`).set(bearer(t.tokens.admin)).send({ decision: 'reject' }).expect(200);
    expect((await storedHousehold())!.community).toBe('La Condamine');
    expect((await t.api.get('/api/household-reviews').set(bearer(t.tokens.coordinator)).expect(200)).body.total).toBe(0);
    await t.api.post('/api/household-reviews/999999/decide').set(bearer(t.tokens.coordinator)).send({ decision: 'accept' }).expect(404);
    const bad = await t.api.post(`/api/household-reviews/${row.id}/decide`).set(bearer(t.tokens.coordinator)).send({ decision: 'maybe' }).expect(400);
    expect(bad.body.errors[0].field).toBe('body.decision');
  });

  it('still merges a worker’s report into a household of their own community', async () => {
    const res = await t.api.post('/api/needs').set(bearer(tokens['condamine@test.local']!)).send({
      household: aHousehold({ ...reported, name: 'Grimaldi household', community: 'La Condamine', people: 4, chronicIllness: true }),
      commodityId: rice.id,
      quantity: 9,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ merged: true, householdCreated: false, household: { id: theirs.id, community: 'La Condamine' }, need: { quantity: 9 } });
  });
});
