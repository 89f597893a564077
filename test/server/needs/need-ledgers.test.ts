import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, post } from '../../support/records.ts';
import { insertHouseholds } from '../../../server/needs/households.repo.ts';
import { foldNeedTallies, insertNeeds, listNeeds, needTally, type NeedFilter } from '../../../server/needs/needs.repo.ts';
import { addressKey, phoneKey } from '../../../server/needs/households.service.ts';

/** The tally counted from the needs themselves, as the dashboard read it before it was kept by the database. */
const countedFromNeeds = (t: TestApp) =>
  t.db.query(
    `SELECT n.quantity, n.fulfilled, n.urgency, h.elderly_alone, h.chronic_illness, h.disabled, h.pregnant, h.infant, count(*)::int AS needs
     FROM needs n JOIN households h ON h.id = n.household_id WHERE n.status <> 'cancelled' AND n.confirmed
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
  );
const sorted = (rows: object[]) => rows.map((r) => JSON.stringify(Object.entries(r).sort())).sort();
/** How many needs a filter of the need sheet lists, counted from the needs themselves. */
const countedNeeds = async (t: TestApp, f: Partial<NeedFilter>) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM needs n JOIN households h ON h.id = n.household_id
       WHERE ($1::text IS NULL OR h.community = $1) AND ($2::text IS NULL OR n.status = $2) AND ($3::int IS NULL OR n.commodity_id = $3)
         AND ($4::text[] IS NULL OR h.community = ANY($4)) AND ($5::text IS NULL OR n.urgency = $5)`,
      [f.community ?? null, f.status ?? null, f.commodityId ?? null, f.communities ?? null, f.urgency ?? null],
    )
  )[0]!.n;

describe.each(databaseKinds)('the needs counted as they change, for the dashboard’s tally and the need sheet’s totals, on %s', (kind) => {
  let t: TestApp;
  let rice: number;
  let oil: number;
  let flour: number;
  let households: { id: number }[];
  let needs: { id: number }[];
  const expectTallyAsCounted = async () => expect(sorted(await needTally(t.db))).toEqual(sorted(await countedFromNeeds(t)));
  const filters = (): Partial<NeedFilter>[] => [
    {}, { community: 'Menton' }, { status: 'open' }, { community: 'Monaco', status: 'fulfilled' }, { commodityId: oil }, { urgency: 'critical' },
    { communities: ['Menton'], status: 'open', commodityId: rice }, { commodityId: flour }, { status: 'cancelled', urgency: 'normal' },
  ];
  const expectTotalsAsCounted = async () => {
    for (const f of filters()) expect((await listNeeds(t.db, { limit: 1, offset: 0, sort: { field: 'id', descending: false }, ...f })).total, JSON.stringify(f)).toBe(await countedNeeds(t, f));
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    rice = (await aCommodity(t)).id;
    oil = (await aCommodity(t, { code: 'OIL', name: 'Oil' })).id;
    flour = (await aCommodity(t, { code: 'FLOUR', name: 'Flour' })).id;
    const household = (i: number, flags: Record<string, boolean>) => ({
      name: `Household ${i}`, address: `${i} Test street`, phone: `+377 ${10_000_000 + i}`, lat: 43.73 + i * 1e-4, lon: 7.42, people: 2, community: i % 3 === 0 ? 'Menton' : 'Monaco',
      addressKey: addressKey(`${i} Test street`), phoneKey: phoneKey(`+377 ${10_000_000 + i}`), ...flags,
    });
    households = await insertHouseholds(t.db, Array.from({ length: 40 }, (_, i) => household(i, i % 4 === 0 ? { infant: true } : i % 4 === 1 ? { elderly_alone: true, disabled: true } : {})));
    needs = await insertNeeds(t.db, households.flatMap(({ id }, i) => [rice, oil].map((commodityId) => ({ householdId: id, commodityId, quantity: 2 + (i % 3), urgency: i % 5 === 0 ? ('critical' as const) : ('normal' as const), deadline: null, sources: ['test'] }))));
  });
  afterAll(() => t.close());

  it('counts the needs as imported: the tally by what was asked and delivered, urgency and the household’s flags; the totals of each filter of the sheet', async () => {
    expect((await needTally(t.db)).reduce((sum, g) => sum + g.needs, 0)).toBe(80);
    await expectTallyAsCounted();
    await expectTotalsAsCounted();
  });

  it('follows deliveries, edits, cancellations, confirmations, households’ flags and communities, and deletions, and folds to the same groups', async () => {
    await t.db.query('UPDATE needs SET fulfilled = 1 WHERE id = ANY($1)', [needs.slice(0, 10).map((n) => n.id)]);
    await t.db.query(`UPDATE needs SET fulfilled = quantity, status = 'fulfilled' WHERE id = ANY($1)`, [needs.slice(10, 15).map((n) => n.id)]);
    await t.db.query(`UPDATE needs SET status = 'cancelled' WHERE id = ANY($1)`, [needs.slice(15, 20).map((n) => n.id)]);
    await t.db.query('UPDATE needs SET confirmed = false WHERE id = ANY($1)', [needs.slice(20, 24).map((n) => n.id)]);
    await t.db.query('UPDATE needs SET confirmed = true WHERE id = $1', [needs[20]!.id]);
    await t.db.query(`UPDATE households SET pregnant = true, infant = false WHERE id = ANY($1)`, [households.slice(0, 8).map((h) => h.id)]);
    await t.db.query(`UPDATE households SET community = 'Menton' WHERE id = ANY($1)`, [households.slice(4, 12).map((h) => h.id)]);
    await t.db.query(`UPDATE needs SET urgency = 'critical', commodity_id = $2 WHERE id = ANY($1)`, [[needs[40]!.id, needs[43]!.id], flour]);
    // An edit that changes nothing the tally counts appends nothing.
    const rows = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM need_tally'))[0]!.n;
    const before = await rows();
    await t.db.query(`UPDATE households SET name = name || ' (checked)' WHERE id = ANY($1)`, [households.slice(8, 16).map((h) => h.id)]);
    await t.db.query('UPDATE needs SET deadline = current_date + 3 WHERE id = ANY($1)', [needs.slice(30, 40).map((n) => n.id)]);
    expect(await rows()).toBe(before);
    await t.db.query('DELETE FROM needs WHERE id = ANY($1)', [needs.slice(78).map((n) => n.id)]);
    // Through the API: a new need of a new household, and a need's quantity corrected.
    const { need } = await post(t, '/api/needs', { household: { name: 'Newcomer', address: '1 Quai Antoine', lat: 43.74, lon: 7.43, people: 3, community: 'Monaco', chronicIllness: true }, commodityId: rice, quantity: 7 });
    await t.api.patch(`/api/needs/${need.id}`).set(bearer(t.tokens.coordinator)).send({ quantity: 9, version: need.version }).expect(200);
    await expectTallyAsCounted();
    await expectTotalsAsCounted();
    const listed = await t.api.get('/api/needs').query({ community: 'Monaco', status: 'open', limit: 5 }).set(bearer(t.tokens.coordinator)).expect(200);
    expect(listed.body.total).toBe(await countedNeeds(t, { community: 'Monaco', status: 'open' }));
    expect(listed.headers['x-total-count']).toBe(String(listed.body.total));

    const appended = await rows();
    const folded = (await foldNeedTallies(t.db)).tally;
    expect(folded).toBeLessThan(appended);
    expect(folded).toBe((await countedFromNeeds(t)).length);
    await expectTallyAsCounted();
    await expectTotalsAsCounted();
  });
});
