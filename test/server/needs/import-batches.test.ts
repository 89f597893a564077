// A CSV import of more rows than one batch (a transaction of BATCH_ROWS rows): a row of a later batch merges into
// what an earlier batch wrote, every row written has its audit row under the import's request (written by
// statement: 032_import_audit_by_statement.sql), the planner's statistics follow the tables the import grows,
// a second import of the same file adds nothing, and a batch that fails ends the import where it stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity } from '../../support/records.ts';

const HOUSEHOLDS = 2500;

describe.each(databaseKinds)('a CSV import across batches on %s', (kind) => {
  let t: TestApp;
  let csv: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const rice = await aCommodity(t, { code: 'RICE' });
    const row = (i: number, quantity: number) => `Household ${i},${i} Rue Grimaldi,+377 93 ${100_000 + i},43.73,7.42,2,Condamine,${rice.code},${quantity},normal`;
    // The last row reports household 3 again, three batches after the one that created it.
    csv = ['name,address,phone,lat,lon,people,community,commodity,quantity,urgency', ...Array.from({ length: HOUSEHOLDS }, (_, i) => row(i, 1)), row(3, 5)].join('\n');
  });
  afterAll(() => t.close());

  const send = () => t.api.post('/api/needs/import?source=batches').set(bearer(t.tokens.community)).set('content-type', 'text/csv').send(csv);
  const count = async (sql: string) => Number((await t.db.query<{ n: number }>(sql))[0]!.n);
  const audited = (requestId: string) =>
    t.db.query<{ table_name: string; action: string; n: number }>(
      `SELECT table_name, action, count(*)::int AS n FROM audit_log WHERE request_id = $1 AND table_name IN ('households', 'household_field_history', 'needs') GROUP BY 1, 2 ORDER BY 1, 2`,
      [requestId],
    );

  it('merges a row of a later batch into the need an earlier batch wrote, and audits every row under the request', async () => {
    const res = await send().expect(200);
    expect(res.body).toMatchObject({ rows: HOUSEHOLDS + 1, created: HOUSEHOLDS, merged: 1, held: 0, failed: 0, everyLine: true });
    const first = res.body.report[3];
    expect(res.body.report[HOUSEHOLDS]).toEqual({ line: HOUSEHOLDS + 2, status: 'merged', needId: first.needId, householdId: first.householdId });
    const need = await t.api.get(`/api/needs/${first.needId}`).set(bearer(t.tokens.community)).expect(200);
    expect(need.body).toMatchObject({ quantity: 5, version: 2 });

    expect(await audited(res.get('X-Request-Id')!)).toEqual([
      { table_name: 'household_field_history', action: 'insert', n: HOUSEHOLDS },
      { table_name: 'households', action: 'insert', n: HOUSEHOLDS },
      { table_name: 'needs', action: 'insert', n: HOUSEHOLDS },
      { table_name: 'needs', action: 'update', n: 1 },
    ]);
    const [update] = await t.db.query<{ record_id: string; user_id: number; before: Record<string, unknown>; after: Record<string, unknown> }>(
      `SELECT record_id, user_id, before, after FROM audit_log WHERE request_id = $1 AND table_name = 'needs' AND action = 'update'`,
      [res.get('X-Request-Id')],
    );
    // An update's row keeps only the columns that changed.
    expect(update).toMatchObject({ record_id: String(first.needId), user_id: t.userIds.community, before: { quantity: 1, version: 1 }, after: { quantity: 5, version: 2 } });
    expect(Object.keys(update!.after).sort()).toEqual(['quantity', 'updated_at', 'version']);

    // The planner counted the households the import wrote (it knew of none before).
    const [{ rows }] = (await t.db.query<{ rows: number }>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = to_regclass('households')`)) as [{ rows: number }];
    expect(rows).toBeGreaterThanOrEqual(1000);
  }, 300_000);

  it('adds no household, need or history on a second import of the same file', async () => {
    const before = await t.db.query('SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM household_field_history) AS history');
    const res = await send().expect(200);
    expect(res.body).toMatchObject({ rows: HOUSEHOLDS + 1, created: 0, merged: HOUSEHOLDS + 1, failed: 0 });
    expect(await t.db.query('SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM household_field_history) AS history')).toEqual(before);
    expect(await count(`SELECT sum(quantity)::int AS n FROM needs`)).toBe(HOUSEHOLDS + 4);
  }, 300_000);

  it('stops at a batch the database refuses: the batches before it stay written, none after it is', async () => {
    // The third of four batches holds a household the database refuses (a trigger of this test's own).
    await t.db.exec(`CREATE FUNCTION refuse_household() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF EXISTS (SELECT FROM new_rows WHERE name = 'Refused') THEN RAISE EXCEPTION 'refused'; END IF; RETURN NULL; END $$;
      CREATE TRIGGER refuse_household AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refuse_household()`);
    try {
      const rows = Array.from({ length: 1000 }, (_, i) => `${i === 600 ? 'Refused' : `Later ${i}`},${i} Rue Basse,+377 93 ${300_000 + i},43.73,7.42,2,Condamine,RICE,1,normal`);
      const res = await t.api.post('/api/needs/import?source=refused').set(bearer(t.tokens.community)).set('content-type', 'text/csv').send(['name,address,phone,lat,lon,people,community,commodity,quantity,urgency', ...rows].join('\n'));
      expect(res.status).toBe(500);
      expect(await count(`SELECT count(*)::int AS n FROM households WHERE address LIKE '% Rue Basse'`)).toBe(500);
    } finally {
      await t.db.exec('DROP TRIGGER refuse_household ON households; DROP FUNCTION refuse_household()');
    }
    // And the server goes on.
    await t.api.get('/api/auth/me').set(bearer(t.tokens.community)).expect(200);
  }, 300_000);
});
