// Every refusal carries a stable machine-readable `code` beside the human `detail`: clients branch on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, aLot, aWarehouse, post } from '../../support/records.ts';

describe.each(databaseKinds)('error codes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);
  const problem = (res: { status: number; type: string; body: Record<string, unknown> }) => {
    expect(res.type).toBe('application/problem+json');
    return { status: res.status, code: res.body.code };
  };

  it('names bad input, a missing sign-in, a forbidden role and a missing record', async () => {
    expect(problem(await t.api.post('/api/auth/login').send({ email: 'a@b.co', password: 'x', admin: true }))).toEqual({ status: 400, code: 'invalid-field' });
    expect(problem(await t.api.get('/api/warehouses'))).toEqual({ status: 401, code: 'not-signed-in' });
    expect(problem(await t.api.get('/api/plans').set(bearer(t.tokens.charity)))).toEqual({ status: 403, code: 'forbidden' });
    expect(problem(await t.api.get('/api/plans/999999').set(coordinator()))).toEqual({ status: 404, code: 'not-found' });
  });

  it('tells kinds of conflict apart: a taken code, not enough stock, and the same code when a refusal is replayed', async () => {
    const rice = await aCommodity(t);
    const again = { code: rice.code, name: 'Rice', unit: '5 kg bag', weightKg: 5, volumeM3: 0.006, category: 'food' };
    const first = await t.api.post('/api/commodities').set(coordinator()).set('Idempotency-Key', 'dup-code').send(again);
    expect(problem(first)).toEqual({ status: 409, code: 'already-exists' });
    const replayed = await t.api.post('/api/commodities').set(coordinator()).set('Idempotency-Key', 'dup-code').send(again);
    expect(replayed.body).toEqual(first.body);

    const lot = await aLot(t, (await aWarehouse(t)).id, rice.id, 1);
    const spoiled = await t.api.post('/api/stock/movements').set(coordinator()).send({ lotId: lot.id, kind: 'spoiled', quantity: 5, reason: 'flood' });
    expect(problem(spoiled)).toEqual({ status: 409, code: 'not-enough-stock' });
  });

  it('says a report is held for review', async () => {
    const rice = await aCommodity(t);
    const household = { address: '3 Rue Grimaldi', phone: '+377 93 11 22 33' };
    await post(t, '/api/needs', { household: aHousehold({ ...household, community: 'La Condamine' }), commodityId: rice.id, quantity: 2 });
    await post(t, '/api/users', { email: 'held@test.local', name: 'Held', role: 'community', password: PASSWORD, communities: ['Fontvieille'] }, 'admin');
    const worker = (await t.api.post('/api/auth/login').send({ email: 'held@test.local', password: PASSWORD }).expect(200)).body.token;
    const res = await t.api.post('/api/needs').set(bearer(worker)).send({ household: aHousehold({ ...household, community: 'Fontvieille' }), commodityId: rice.id, quantity: 5 });
    expect(problem(res)).toEqual({ status: 409, code: 'held-for-review' });
  });

  it('says when sign-ins are throttled', async () => {
    let res;
    for (let i = 0; i < 11; i++) res = await t.api.post('/api/auth/login').send({ email: 'coordinator@test.local', password: 'wrong' });
    expect(problem(res!)).toEqual({ status: 429, code: 'too-many-attempts' });
  });
});
