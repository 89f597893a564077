import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { lastIn, transactionSettings, type Db, type Tx } from '../../../server/db/database.ts';
import { grouped } from '../../../server/db/grouped.ts';

describe.each(databaseKinds)('grouped transactions on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await migrate(db);
  });
  afterAll(() => db.drop());

  /** A request's transaction: one commodity written, then (for the bad one) a statement the database refuses. */
  const asRequest = (door: Db, requestId: string, fails: boolean) =>
    transactionSettings.run({ 'lifeline.request': JSON.stringify({ userId: null, role: null, method: 'POST', path: '/test', requestId, ip: null, device: null }) }, () =>
      door.transaction(async (tx) => {
        await tx.query(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ($1, $1, 'box', 1, 0.01, 'food')`, [requestId]);
        if (fails) await tx.query('SELECT 1 / 0');
        return requestId;
      }),
    );

  it('commits concurrent transactions together, each audited as its own request, and rolls a failing one back alone', async () => {
    const door = grouped(db, { maxBatch: 100, lingerMs: 20, maxQueued: 1000, maxWaitMs: 5000, concurrency: 1 });
    const ids = Array.from({ length: 12 }, (_, i) => `grouped-${i}`);
    const outcomes = await Promise.allSettled(ids.map((id, i) => asRequest(door, id, i === 5)));
    expect(outcomes.map((o) => o.status)).toEqual(ids.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    const rows = await db.query<{ code: string }>(`SELECT code FROM commodities WHERE code LIKE 'grouped-%' ORDER BY id`);
    expect(rows.map((r) => r.code)).toEqual(ids.filter((_, i) => i !== 5));
    const audit = await db.query<{ request_id: string; after: { code: string }; at: Date }>(`SELECT request_id, after, at FROM audit_log WHERE table_name = 'commodities' AND request_id LIKE 'grouped-%' ORDER BY id`);
    // Each row carries the request that wrote it, not the batch's first.
    expect(audit.map((a) => [a.request_id, a.after.code])).toEqual(ids.filter((_, i) => i !== 5).map((id) => [id, id]));
    // One transaction (now() is the transaction's start): they were written together.
    expect(new Set(audit.map((a) => a.at.getTime())).size).toBe(1);
  });

  it("runs what transactions leave for the batch's end after all of them, together, in the same commit, and only for those kept", async () => {
    const door = grouped(db, { maxBatch: 100, lingerMs: 20, maxQueued: 1000, maxWaitMs: 5000, concurrency: 1 });
    const order: string[] = [];
    const insertAll = async (tx: Tx, ids: string[]) => {
      order.push(`end ${ids.join(' ')}`);
      await tx.query(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) SELECT c, c, 'box', 1, 0.01, 'food' FROM unnest($1::text[]) AS c`, [ids.map((id) => `end-${id}`)]);
    };
    const asRequest = (id: string, fails: boolean) =>
      door.transaction(async (tx) => {
        await lastIn(tx, insertAll, id);
        order.push(`work ${id}`);
        if (fails) await tx.query('SELECT 1 / 0');
        return id;
      });
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((id) => asRequest(id, id === 'b')));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Once for the batch, with the items of the transactions kept.
    expect(order.slice(-2)).toEqual(['work c', 'end a c']);
    expect(order.filter((o) => o.startsWith('end'))).toEqual(['end a c']);
    const rows = await db.query<{ code: string }>(`SELECT code FROM commodities WHERE code LIKE 'end-%' ORDER BY id`);
    expect(rows.map((r) => r.code)).toEqual(['end-a', 'end-c']);
  });

  it('runs it at once for a transaction outside a batch', async () => {
    const seen: string[][] = [];
    await db.transaction((tx) => lastIn(tx, async (_tx, ids: string[]) => void seen.push(ids), 'alone'));
    expect(seen).toEqual([['alone']]);
  });
});
