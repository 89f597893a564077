import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';

const HEADER = 'name,address,phone,lat,lon,people,community,commodity,quantity,urgency,elderly_alone';

describe.each(databaseKinds)('a streamed CSV import on %s', (kind) => {
  let t: TestApp;
  let rice: { id: number; code: string };
  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = await aCommodity(t, { code: 'RICE' });
  });
  afterAll(() => t.close());

  const worker = () => bearer(t.tokens.community);
  const send = (query = '') => t.api.post(`/api/needs/import${query}`).set(worker()).set('content-type', 'text/csv');

  it('records repeated rows of one file as one report after another: the later values with their history, one need at the larger quantity', async () => {
    const csv = [
      HEADER,
      `Chen household,Lane 12 Weifang Road Building 1 Room 101,+86 139 0000 0001,43.74,7.42,2,Monte-Carlo,${rice.code},2,normal,no`,
      `Chen household,Lane 12 Weifang Road Building 1 Room 101,+86 139 0000 0001,43.74,7.42,3,Monte-Carlo,${rice.code},5,high,yes`,
      `Chen household,Lane 12 Weifang Road Building 1 Room 101,+86 139 0000 0001,43.74,7.42,3,Monte-Carlo,${rice.code},1,low,yes`,
    ].join('\n');
    const res = await send('?source=survey').send(csv).expect(200);
    expect(res.body).toMatchObject({ rows: 3, created: 1, merged: 2, held: 0, failed: 0, everyLine: true });
    const [first, second, third] = res.body.report;
    expect(second.needId).toBe(first.needId);
    expect(third.householdId).toBe(first.householdId);
    const need = await t.api.get(`/api/needs/${first.needId}`).set(worker()).expect(200);
    expect(need.body).toMatchObject({ quantity: 5, urgency: 'high', version: 3, sources: ['import:survey'], household: { people: 3, elderlyAlone: true, version: 2 } });
    const history = await t.api.get(`/api/households/${first.householdId}/history`).set(worker()).expect(200);
    const people = history.body.filter((h: { field: string }) => h.field === 'people').map((h: { value: number; outcome: string }) => [h.value, h.outcome]);
    expect(people).toEqual([
      [2, 'applied'],
      [3, 'applied'],
    ]);
  });

  it('previews the conflicts with hand corrections by line, as the import then reports them, writing nothing before', async () => {
    const first = await post(t, '/api/needs', { household: aHousehold({ address: '9 Rue Basse', phone: '+377 93 90 90 90', people: 2 }), commodityId: rice.id, quantity: 1 }, 'community');
    await t.api.patch(`/api/households/${first.household.id}`).set(worker()).send({ people: 4, version: first.household.version }).expect(200);
    const csv = [HEADER, `Rossi household,9 rue basse,93 90 90 90,43.74,7.42,2,Monte-Carlo,${rice.code},1,normal,no`, `Other household,10 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},1,normal,maybe`].join('\n');
    const before = await t.db.query('SELECT (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM household_field_history) AS history');
    const preview = await send('?preview=true').send(csv).expect(200);
    expect(preview.body).toMatchObject({ preview: true, rows: 2, created: 0, merged: 1, failed: 1 });
    expect(preview.body.report[0]).toEqual({ line: 2, status: 'merged', keptManual: [{ field: 'people', kept: 4, offered: 2 }] });
    expect(preview.body.report[1]).toMatchObject({ line: 3, status: 'error', errors: [{ field: 'elderly_alone' }] });
    expect(await t.db.query('SELECT (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM household_field_history) AS history')).toEqual(before);
    const fixed = csv.replace('maybe', 'no');
    const res = await send().send(fixed).expect(200);
    expect(res.body.report[0]).toMatchObject({ status: 'merged', keptManual: [{ field: 'people', kept: 4, offered: 2 }] });
    expect((await t.api.get(`/api/households/${first.household.id}`).set(worker()).expect(200)).body.people).toBe(4);
  });

  it('streams a file past 10 MB instead of refusing its size, naming the first thousand bad lines and counting the rest', async () => {
    const row = `Far household,1 Long Road,,43.74,7.42,2,Monte-Carlo,NO-SUCH-CODE,1,normal,no,${'x'.repeat(60)}`;
    const csv = [`${HEADER},notes`, ...Array.from({ length: 120_000 }, () => row)].join('\n');
    expect(csv.length).toBeGreaterThan(10 * 2 ** 20);
    const res = await send().send(csv).expect(400);
    expect(res.body.errors).toHaveLength(1001);
    expect(res.body.errors[0]).toEqual({ field: 'line 2: commodity', reason: 'no commodity with the code NO-SUCH-CODE' });
    expect(res.body.errors[1000]).toEqual({ field: 'body', reason: expect.stringMatching(/^119000 more problems/) });
  }, 120_000);

  it('answers a retry of the same file with the same Idempotency-Key from the first answer, writing nothing twice', async () => {
    const csv = [HEADER, `Retry household,77 Rue Basse,,43.74,7.42,2,Monte-Carlo,${rice.code},1,normal,no`].join('\n');
    const first = await send().set('Idempotency-Key', 'import-once').send(csv).expect(200);
    const count = await t.db.query('SELECT count(*) AS n FROM needs');
    const again = await send().set('Idempotency-Key', 'import-once').send(csv).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await t.db.query('SELECT count(*) AS n FROM needs')).toEqual(count);
    const other = csv.replace('77 Rue', '78 Rue');
    await send().set('Idempotency-Key', 'import-once').send(other).expect(422);
  });
});
