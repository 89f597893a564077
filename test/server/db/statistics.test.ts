import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, databaseUrlOf, openTestDatabase } from '../../support/app.ts';
import { analyseGrown, keepStatistics, plannedRows } from '../../../server/db/statistics.ts';
import { openPostgres, type Db } from '../../../server/db/database.ts';

describe.each(databaseKinds)('planner statistics on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.drop());

  /**
   * One session (PGlite has one; on PostgreSQL a pool of one connection), in which a lookup by key is prepared and
   * planned once for every key while its table is empty, as a foreign key's check is: `plan` shows its plan now.
   */
  async function cachedLookup(table: string) {
    const session = kind === 'pglite' ? db : await openPostgres(databaseUrlOf({ db }), { maxConnections: 1 });
    await session.query('SET plan_cache_mode = force_generic_plan');
    await session.query(`PREPARE lookup(int) AS SELECT 1 FROM ${table} WHERE id = $1`);
    await session.query('EXECUTE lookup(1)');
    return {
      session,
      plan: async () => (await session.query<{ 'QUERY PLAN': string }>('EXPLAIN EXECUTE lookup(1)')).map((row) => row['QUERY PLAN']).join('\n'),
      close: async () => {
        await session.query('DEALLOCATE lookup');
        await session.query('RESET plan_cache_mode');
        if (session !== db) await session.close();
      },
    };
  }
  const grow = (table: string, from: number, rows: number) =>
    db.query(`INSERT INTO ${table} SELECT g, repeat('x', 40) FROM generate_series($1::int, $2::int) AS g`, [from, from + rows - 1]);

  it('analyses a table that has doubled since the planner last counted it, so a plan cached while it was empty uses its index again', async () => {
    await db.exec('CREATE TABLE grown (id int PRIMARY KEY, note text); CREATE TABLE steady (id int PRIMARY KEY, note text)');
    await db.exec('ANALYZE grown, steady');
    await grow('steady', 1, 3000);
    await db.exec('ANALYZE steady');
    const lookup = await cachedLookup('grown');
    try {
      // A burst fills `grown` from empty; `steady` takes a few rows more.
      await grow('grown', 1, 3000);
      await grow('steady', 3001, 100);
      expect(await lookup.plan()).toMatch(/Seq Scan/);

      expect(await analyseGrown(lookup.session)).toEqual(['grown']);
      expect(await plannedRows(db, 'grown')).toBe(3000);
      expect(await lookup.plan()).toMatch(/Index (Only )?Scan/);
      // Nothing has doubled since.
      await grow('grown', 3001, 500);
      expect(await analyseGrown(db)).toEqual([]);
    } finally {
      await lookup.close();
    }
  });

  it('keeps checking on a timer until stopped', async () => {
    await db.exec('CREATE TABLE later (id int PRIMARY KEY, note text); ANALYZE later');
    const keeper = keepStatistics(db, 20);
    try {
      await grow('later', 1, 2000);
      await expect.poll(() => plannedRows(db, 'later'), { timeout: 10_000 }).toBe(2000);
    } finally {
      await keeper.stop();
    }
  });
});
