import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atFirstCommit, hasSqlState, prepared, type Db } from '../../../server/db/database.ts';
import { selectColumns } from '../../../server/db/rows.ts';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';

/** What a statement threw (it must throw). */
async function thrown(work: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await work;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the statement to fail');
}

describe.each(databaseKinds)('the database interface on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await db.exec(`
      CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, stock int CHECK (stock >= 0));
      CREATE TABLE kinds (at timestamptz, day date, doc jsonb, raw bytea, tags text[], counts int[], big bigint, amount numeric, ok boolean);
    `);
  });
  afterAll(() => db.drop());

  const notes = async () => (await db.query<{ id: number; body: string }>('SELECT id, body FROM notes ORDER BY id')).map((n) => `${n.id}:${n.body}`);

  it('runs a statement marked prepared as any other, in and out of transactions, again and again (on PostgreSQL by its name, planned once per connection)', async () => {
    const sql = prepared('SELECT $1::int + 1 AS next, count(*) AS n FROM unnest($2::text[]) t');
    const runs = [];
    // More runs than connections, past the five after which the server keeps a generic plan.
    for (let i = 0; i < 12; i++) runs.push(db.query<{ next: number; n: number }>(sql, [i, ['a', 'b']]));
    for (let i = 0; i < 3; i++) runs.push(db.transaction((tx) => tx.query<{ next: number; n: number }>(sql, [100 + i, []])));
    expect((await Promise.all(runs)).map(([row]) => [row!.next, row!.n])).toEqual([...Array.from({ length: 12 }, (_, i) => [i + 1, 2]), [101, 0], [102, 0], [103, 0]]);
    // A failed run leaves the statement usable.
    expect(hasSqlState(await thrown(db.query(sql, [2147483647, []])), 'numericOutOfRange')).toBe(true);
    expect(await db.query(sql, [1, ['x']])).toEqual([{ next: 2, n: 1 }]);
    if (kind === 'postgres') {
      const named = await db.transaction(async (tx) => (await tx.query(sql, [1, []]), tx.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql])));
      expect(named).toHaveLength(1);
    }
  });

  it('gives bigint and numeric as numbers and dates as day strings', async () => {
    const [row] = await db.query(`SELECT 9007199254740991::bigint AS big, 12.5::numeric AS amount, '2026-03-01'::date AS day, count(*) AS n FROM (VALUES (1), (2)) v(x)`);
    expect(row).toEqual({ big: 9007199254740991, amount: 12.5, day: '2026-03-01', n: 2 });
  });

  it('round-trips timestamps, jsonb, bytea, arrays, booleans and nulls as parameters and as results', async () => {
    const at = new Date('2026-03-01T08:30:00.123Z');
    const doc = { name: 'Rice', items: [1, 2, { deep: null }], nested: { ok: true } };
    await db.query('INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [at, '2026-03-02', doc, new Uint8Array([0, 1, 255]), ['a', 'b"c', 'd,e'], [3, 1], 42, 7.25, true]);
    await db.query('INSERT INTO kinds VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)');
    const [full, empty] = await db.query<Record<string, unknown>>('SELECT * FROM kinds ORDER BY at NULLS LAST');
    expect({ ...full, raw: [...(full!.raw as Uint8Array)] }).toEqual({ at, day: '2026-03-02', doc, raw: [0, 1, 255], tags: ['a', 'b"c', 'd,e'], counts: [3, 1], big: 42, amount: 7.25, ok: true });
    expect(full!.at).toBeInstanceOf(Date);
    expect(full!.raw).toBeInstanceOf(Uint8Array);
    expect(Object.values(empty!)).toEqual(Array(9).fill(null));
  });

  it('reads a query as column arrays into the same rows as the query gives, and an empty one as no rows', async () => {
    const sql = `SELECT x AS id, 'n' || x AS name, x * 2.5 AS amount, CASE WHEN x > 1 THEN '2026-03-0' || x END::date AS day, x % 2 = 0 AS even,
                   CASE WHEN x = 2 THEN json_build_object('lat', 1.5, 'lon', -2) END AS point
                 FROM generate_series(1, $1::int) AS x`;
    const columns = ['id', 'name', 'amount', 'day', 'even', 'point'] as const;
    expect(await selectColumns(db, columns, sql, [3])).toEqual(await db.query(sql, [3]));
    expect(await selectColumns(db, columns, sql, [3])).toEqual([
      { id: 1, name: 'n1', amount: 2.5, day: null, even: false, point: null },
      { id: 2, name: 'n2', amount: 5, day: '2026-03-02', even: true, point: { lat: 1.5, lon: -2 } },
      { id: 3, name: 'n3', amount: 7.5, day: '2026-03-03', even: false, point: null },
    ]);
    expect(await selectColumns(db, columns, sql, [0])).toEqual([]);
    expect(await selectColumns(db, ['needId', 'atGate'], `SELECT x AS need_id, x > 1 AS at_gate FROM generate_series(1, 2) AS x`)).toEqual([
      { needId: 1, atGate: false },
      { needId: 2, atGate: true },
    ]);
  });

  it('keeps the PostgreSQL fields of an error: SQLSTATE, constraint, detail and message', async () => {
    await db.query(`INSERT INTO notes VALUES (1, 'first')`);
    const unique = await thrown(db.query(`INSERT INTO notes VALUES (1, 'again')`));
    expect(hasSqlState(unique, 'uniqueViolation')).toBe(true);
    expect(unique).toMatchObject({ constraint: 'notes_pkey', detail: 'Key (id)=(1) already exists.', table: 'notes' });
    expect(unique.message).toBe('duplicate key value violates unique constraint "notes_pkey"');
    const check = await thrown(db.transaction((tx) => tx.query(`INSERT INTO notes VALUES (2, 'short', -1)`)));
    expect(hasSqlState(check, 'checkViolation')).toBe(true);
    expect(check.constraint).toBe('notes_stock_check');
    expect(hasSqlState(await thrown(db.query('SELECT 1/0')), 'uniqueViolation')).toBe(false);
    expect((await thrown(db.query('SELECT 1/0'))).code).toBe('22012');
    expect((await thrown(db.query('SELEKT 1'))).code).toBe('42601');
  });

  it('writes nothing from a transaction that throws, nor from one whose work before commit throws', async () => {
    await db.query('DELETE FROM notes');
    const failed = thrown(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO notes VALUES (10, 'half')`);
        throw new Error('changed my mind');
      }),
    );
    expect((await failed).message).toBe('changed my mind');
    const refused = atFirstCommit.run({ work: () => Promise.reject(new Error('claim taken over')) }, () =>
      thrown(db.transaction((tx) => tx.query(`INSERT INTO notes VALUES (11, 'unclaimed')`))),
    );
    expect((await refused).message).toBe('claim taken over');
    expect(await notes()).toEqual([]);
  });

  it('runs the work before commit inside the first committing transaction only', async () => {
    await db.query('DELETE FROM notes');
    const pending = { work: (tx: { query: Db['query'] }) => tx.query(`INSERT INTO notes VALUES (20, 'marked')`).then(() => undefined) };
    await atFirstCommit.run(pending, async () => {
      await db.transaction((tx) => tx.query(`INSERT INTO notes VALUES (21, 'first')`));
      await db.transaction((tx) => tx.query(`INSERT INTO notes VALUES (22, 'second')`));
    });
    expect(await notes()).toEqual(['20:marked', '21:first', '22:second']);
  });

  it('answers what the function given to a transaction returns', async () => {
    expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT 41 + 1 AS n'))[0]!.n)).toBe(42);
  });

  it('runs a multi-statement script', async () => {
    await db.exec(`DELETE FROM notes; INSERT INTO notes VALUES (50, 'x'); INSERT INTO notes VALUES (51, 'y');`);
    expect(await notes()).toEqual(['50:x', '51:y']);
  });
});
