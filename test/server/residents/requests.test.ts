import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { openNeedsToDeliver } from '../../../server/needs/needs.repo.ts';

describe.each(databaseKinds)('residents asking from their own page (%s)', (kind) => {
  let t: TestApp;
  let rice: { id: number };
  let closed: { id: number };
  let water: { id: number };
  const household = { a: 0, b: 0, other: 0 };
  const code = { a: '', b: '', other: '' };
  const as = (role: keyof TestApp['tokens']) => bearer(t.tokens[role]);
  const ask = (who: keyof typeof code, body: object, lang = 'en') => t.api.post(`/api/resident/${code[who]}/requests?lang=${lang}`).send(body);
  const needsOf = (householdId: number, commodityId: number) =>
    t.db.query<{ id: number; quantity: number; requested: number | null; confirmed: boolean; status: string; urgency: string }>(
      'SELECT id, quantity, requested, confirmed, status, urgency FROM needs WHERE household_id = $1 AND commodity_id = $2 ORDER BY id',
      [householdId, commodityId],
    );

  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = await aCommodity(t, { name: 'Rice', residentOpen: true, residentMaxPerHousehold: 3, residentMaxPerDay: 5 });
    water = await aCommodity(t, { name: 'Water', unit: 'pack', residentOpen: true });
    closed = await aCommodity(t, { name: 'Insulin' });
    await t.api.patch(`/api/users/${t.userIds.community}`).set(as('admin')).send({ communities: ['Monte-Carlo'] }).expect(200);
    const homes = [
      ['a', aHousehold()],
      ['b', aHousehold({ name: 'Bianchi', address: '3 Rue Grimaldi', phone: '+377 93 00 00 01' })],
      ['other', aHousehold({ name: 'Ferrari', address: '9 Rue Basse', phone: '+377 93 00 00 02', community: 'Monaco-Ville' })],
    ] as const;
    for (const [who, home] of homes) {
      const need = await post(t, '/api/needs', { household: home, commodityId: water.id, quantity: 1 });
      household[who] = need.household.id;
      code[who] = (await post(t, `/api/households/${need.household.id}/access`, {})).code;
    }
  });
  afterAll(() => t.close());

  it('lists only the items coordinators opened to residents, with their limits and what is left today', async () => {
    const catalogue = await t.api.get(`/api/resident/${code.a}/catalogue`).expect(200);
    expect(catalogue.body.map((c: { name: string }) => c.name)).toEqual(['Rice', 'Water']);
    expect(catalogue.body[0]).toMatchObject({ id: rice.id, maxPerHousehold: 3, leftToday: 5 });
    const refused = await ask('a', { commodityId: closed.id, quantity: 1 }, 'zh').expect(404);
    expect(refused.body.detail).toBe('此物品不能在这里申请。请联系社区工作人员。');
    await t.api.get('/api/resident/ABCDEFGHJKMNPQRS/catalogue').expect(404);
  });

  it('records a new request as received: no plan counts it until the community worker confirms it', async () => {
    const res = await ask('a', { commodityId: rice.id, quantity: 2 }).expect(201);
    expect(res.body).toMatchObject({ commodity: 'Rice', quantity: 2, status: 'received', statusText: 'Received. A community worker will confirm your request.' });
    expect((await openNeedsToDeliver(t.db, [rice.id])).map((n) => n.id)).not.toContain(res.body.id);

    await t.api.post(`/api/community-queue/requests/${res.body.id}`).set(as('community')).send({ decision: 'confirm' }).expect(200);
    const page = await t.api.get(`/api/resident/${code.a}?lang=zh`).expect(200);
    expect(page.body.requests.find((r: { id: number }) => r.id === res.body.id)).toMatchObject({ status: 'confirmed', statusText: '社区已确认，将排入下一次配送计划。' });
    expect((await openNeedsToDeliver(t.db, [rice.id])).map((n) => n.id)).toContain(res.body.id);
    // Confirmed already: nothing is left to decide.
    await t.api.post(`/api/community-queue/requests/${res.body.id}`).set(as('community')).send({ decision: 'confirm' }).expect(409);
  });

  it("merges into the household's open need (never a second one) and keeps a worker's correction until a worker confirms more", async () => {
    const [need] = await needsOf(household.a, water.id);
    const corrected = await t.api.get(`/api/needs/${need!.id}`).set(as('community')).expect(200);
    await t.api.patch(`/api/needs/${need!.id}`).set(as('community')).send({ quantity: 2, version: corrected.body.version }).expect(200);

    const asked = await ask('a', { commodityId: water.id, quantity: 5 }).expect(201);
    expect(asked.body).toMatchObject({ id: need!.id, quantity: 2, asked: 5, status: 'confirmed', askedText: 'You asked for 5 × pack. A community worker will confirm the change.' });
    await ask('a', { commodityId: water.id, quantity: 4 }).expect(201);
    expect(await needsOf(household.a, water.id)).toEqual([expect.objectContaining({ id: need!.id, quantity: 2, requested: 5, confirmed: true, status: 'open' })]);
    // What the plan counts is still the worker's 2.
    expect((await openNeedsToDeliver(t.db, [water.id])).find((n) => n.id === need!.id)?.remaining).toBe(2);

    await t.api.post(`/api/community-queue/requests/${need!.id}`).set(as('community')).send({ decision: 'decline' }).expect(200);
    expect(await needsOf(household.a, water.id)).toEqual([expect.objectContaining({ quantity: 2, requested: null, status: 'open' })]);
    await ask('a', { commodityId: water.id, quantity: 6 }).expect(201);
    await t.api.post(`/api/community-queue/requests/${need!.id}`).set(as('community')).send({ decision: 'confirm' }).expect(200);
    expect(await needsOf(household.a, water.id)).toEqual([expect.objectContaining({ quantity: 6, requested: null })]);
  });

  it('refuses more than an item allows per household and per day, saying so in the reader’s language; asking again the same day never counts twice', async () => {
    const tooMuch = await ask('b', { commodityId: rice.id, quantity: 4 }, 'zh').expect(409);
    expect(tooMuch.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooMuch.body).toMatchObject({ code: 'over-limit', limit: 'perHousehold', max: 3, detail: '每户每次最多申请 3 × 5 kg bag。' });
    // Household a asked for 2 today; 5 a day in all.
    await ask('b', { commodityId: rice.id, quantity: 3 }).expect(201);
    // a asks for its 2 again (a retry, a double tap): nothing more is taken from the day.
    await ask('a', { commodityId: rice.id, quantity: 2 }).expect(201);
    const overDay = await ask('a', { commodityId: rice.id, quantity: 3 }).expect(409);
    expect(overDay.body).toMatchObject({ code: 'over-limit', limit: 'perDay', left: 2 });
    expect(overDay.body.detail).toBe('Only 2 × 5 kg bag can still be asked for today. Ask for less, or try again tomorrow.');
    const none = await ask('other', { commodityId: rice.id, quantity: 1 }).expect(409);
    expect(none.body.detail).toBe('Nothing more of this can be asked for today. Try again tomorrow.');
    const leftFor = async (who: keyof typeof code) => (await t.api.get(`/api/resident/${code[who]}/catalogue`).expect(200)).body.find((c: { id: number }) => c.id === rice.id).leftToday;
    expect([await leftFor('other'), await leftFor('b')]).toEqual([0, 3]);
  });

  it('answers a retry with the same Idempotency-Key from the first reply, writing nothing twice', async () => {
    const body = { commodityId: water.id, quantity: 2 };
    const first = await t.api.post(`/api/resident/${code.b}/requests`).set('Idempotency-Key', 'tap-1').send(body).expect(201);
    const again = await t.api.post(`/api/resident/${code.b}/requests`).set('Idempotency-Key', 'tap-1').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await needsOf(household.b, water.id)).toHaveLength(1);
    const rows = await t.db.query('SELECT 1 FROM resident_requests WHERE household_id = $1 AND commodity_id = $2', [household.b, water.id]);
    expect(rows).toHaveLength(1);
    await t.api.post(`/api/resident/${code.b}/requests`).set('Idempotency-Key', 'tap-1').send({ ...body, quantity: 3 }).expect(422);
  });

  it('holds an urgent medical flag for the community worker: urgent only once confirmed, and only by a worker of that community', async () => {
    const flagged = await ask('other', { commodityId: water.id, quantity: 1, urgent: true }).expect(201);
    expect(flagged.body).toMatchObject({ urgent: 'pending', urgentText: 'Marked urgent (medical). A community worker will call or visit to confirm.' });
    expect((await needsOf(household.other, water.id))[0]!.urgency).toBe('normal');
    const [flag] = await t.db.query<{ id: number }>(`SELECT id FROM resident_requests WHERE household_id = $1 AND urgent = 'pending'`, [household.other]);
    // The worker of Monte-Carlo does not see Monaco-Ville's flag: as if it did not exist.
    await t.api.post(`/api/community-queue/urgent/${flag!.id}`).set(as('community')).send({ decision: 'confirm' }).expect(404);
    await t.api.post(`/api/community-queue/urgent/${flag!.id}`).set(as('driver')).send({ decision: 'confirm' }).expect(403);
    await t.api.post(`/api/community-queue/urgent/${flag!.id}`).set(as('coordinator')).send({ decision: 'confirm' }).expect(200);
    expect((await needsOf(household.other, water.id))[0]!.urgency).toBe('critical');
    const page = await t.api.get(`/api/resident/${code.other}?lang=zh`).expect(200);
    expect(page.body.requests[0]).toMatchObject({ urgent: 'confirmed', urgentText: '紧急（医疗）：社区已确认。' });
  });

  it("updates the household's contact phone, except one a worker corrected by hand", async () => {
    const updated = await t.api.post(`/api/resident/${code.b}/phone`).send({ phone: '+377 93 55 55 55' }).expect(200);
    expect(updated.body).toEqual({ phone: 'updated', text: 'Your contact phone was updated.' });
    const b = await t.api.get(`/api/households/${household.b}`).set(as('community')).expect(200);
    expect(b.body.phone).toBe('+377 93 55 55 55');
    await t.api.patch(`/api/households/${household.b}`).set(as('community')).send({ phone: '+377 93 66 66 66', version: b.body.version }).expect(200);
    const kept = await t.api.post(`/api/resident/${code.b}/phone?lang=zh`).send({ phone: '+377 93 77 77 77' }).expect(200);
    expect(kept.body.phone).toBe('kept');
    expect((await t.api.get(`/api/households/${household.b}`).set(as('community'))).body.phone).toBe('+377 93 66 66 66');
    const history = await t.api.get(`/api/households/${household.b}/history`).set(as('community')).expect(200);
    expect(history.body.at(-1)).toMatchObject({ field: 'phone', value: '+377 93 77 77 77', source: 'resident', outcome: 'kept_manual' });
  });

  it('refuses bad input and a reused Idempotency-Key in the reader’s language, keeping the stable code and the fields', async () => {
    const bad = await ask('a', { commodityId: rice.id, quantity: 0 }, 'zh').expect(400);
    expect(bad.body).toMatchObject({ code: 'invalid-field', detail: '请检查：数量。', errors: [{ field: 'body.quantity' }] });
    const en = await t.api.post(`/api/resident/${code.a}/requests`).set('Accept-Language', 'en').send({ quantity: -1 }).expect(400);
    expect(en.body.detail).toBe('Please check: the item, how many.');
    await t.api.post(`/api/resident/${code.a}/requests`).set('Idempotency-Key', 'tap-2').send({ commodityId: water.id, quantity: 1 }).expect(201);
    const reused = await t.api.post(`/api/resident/${code.a}/requests?lang=zh`).set('Idempotency-Key', 'tap-2').send({ commodityId: water.id, quantity: 2 }).expect(422);
    expect(reused.body).toMatchObject({ code: 'idempotency-key-reused', detail: '这份申请已用其他内容提交过。请刷新页面后重新提交。' });
    const phone = await t.api.post(`/api/resident/${code.a}/phone?lang=zh`).send({ phone: 'call me' }).expect(400);
    expect(phone.body.detail).toBe('请检查：电话号码。');
  });

  it('shows a household only its own requests', async () => {
    const b = await t.api.get(`/api/resident/${code.b}`).expect(200);
    const own = await t.db.query<{ id: number }>('SELECT id FROM needs WHERE household_id = $1 ORDER BY id DESC', [household.b]);
    expect(b.body.requests.map((r: { id: number }) => r.id)).toEqual(own.map((n) => n.id));
  });
});
