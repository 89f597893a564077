import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';
import type { Db } from '../../../server/db/database.ts';
import { grouped } from '../../../server/db/grouped.ts';
import { audited } from '../../../server/audit/audit.service.ts';
import { createUser } from '../../../server/auth/auth.service.ts';
import type { SignedInUser } from '../../../server/auth/roles.ts';
import { pledge } from '../../../server/donations/donations.service.ts';

// Concurrent pledges are written by one statement at the end of their grouped batch: each is still audited as
// its own request (its actor, its request id), and a bad one is refused alone, named, with nothing written.
describe.each(databaseKinds)('pledges written together on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  let charities: SignedInUser[];
  let warehouseId: number;
  let rice: number;
  /** The SQL the batches sent, in order. */
  const sent: string[] = [];
  let door: Db;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    charities = [
      await createUser(db, { email: 'first@charity.test', name: 'First charity', role: 'charity', password: 'correct-horse-battery' }),
      await createUser(db, { email: 'second@charity.test', name: 'Second charity', role: 'charity', password: 'correct-horse-battery' }),
    ];
    [{ id: warehouseId }] = (await db.query<{ id: number }>(`INSERT INTO warehouses (name, address, lat, lon, capacity_weight_kg, capacity_volume_m3) VALUES ('W', 'A', 43.73, 7.42, 1000, 10) RETURNING id`)) as [{ id: number }];
    [{ id: rice }] = (await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('R', 'Rice', 'bag', 5, 0.01, 'food') RETURNING id`)) as [{ id: number }];
    const counted: Db = { ...db, transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => (sent.push(sql), tx.query(sql, params)) })) };
    door = grouped(counted, { maxBatch: 100, lingerMs: 50, maxQueued: 1000, maxWaitMs: 5000, concurrency: 1 });
  });
  afterAll(() => db.drop());

  /** A pledge sent as its own HTTP request would be: audited under its user and request id. */
  const asRequest = (user: SignedInUser, requestId: string, commodityId = rice) => {
    const req = { method: 'POST', originalUrl: '/api/donations', ip: '10.0.0.9', get: () => 'test-agent' } as unknown as Request;
    return audited(req, user, requestId, () => pledge(door, { warehouseId, donorName: requestId, items: [{ commodityId, quantity: 3 }, { commodityId, quantity: 4 }] }, user));
  };

  const auditOf = (donationIds: number[]) =>
    db.query<{ table_name: string; record_id: string; user_id: number; request_id: string; at: Date }>(
      `SELECT a.table_name, a.record_id, a.user_id, a.request_id, a.at FROM audit_log a
       WHERE (a.table_name = 'donations' AND a.record_id = ANY($1::text[]))
          OR (a.table_name = 'donation_items' AND a.record_id IN (SELECT id::text FROM donation_items WHERE donation_id = ANY($1::int[])))
       ORDER BY a.id`,
      [donationIds.map(String)],
    );

  it('writes two requests’ pledges in one statement and audits each record as its own request’s', async () => {
    sent.length = 0;
    const [first, second] = await Promise.all([asRequest(charities[0]!, 'request-one'), asRequest(charities[1]!, 'request-two')]);
    expect(sent.filter((sql) => sql.includes('INSERT INTO donations'))).toHaveLength(1);
    const audit = await auditOf([first.id, second.id]);
    const expected = (donation: typeof first, user: SignedInUser, requestId: string) => [
      ['donations', String(donation.id), user.id, requestId],
      ...donation.items.map((item) => ['donation_items', String(item.id), user.id, requestId]),
    ];
    expect(audit.map((a) => [a.table_name, a.record_id, a.user_id, a.request_id]).sort()).toEqual(
      [...expected(first, charities[0]!, 'request-one'), ...expected(second, charities[1]!, 'request-two')].sort(),
    );
    // One transaction (now() is its start): they were written together.
    expect(new Set(audit.map((a) => a.at.getTime())).size).toBe(1);
  });

  it('audits a batch’s records as the trigger audits a pledge written alone: once each, the whole row, the request’s fields', async () => {
    const alone = await audited(
      { method: 'POST', originalUrl: '/api/donations', ip: '10.0.0.9', get: () => 'test-agent' } as unknown as Request,
      charities[0]!,
      'audit-alone',
      () => pledge(db, { warehouseId, donorName: 'audit-alone', items: [{ commodityId: rice, quantity: 1 }] }, charities[0]!),
    );
    const [together] = await Promise.all([asRequest(charities[0]!, 'audit-together'), asRequest(charities[1]!, 'audit-beside')]);
    const rows = (donationId: number) =>
      db.query<{ table_name: string; record_id: string; after: unknown; stored: unknown; fields: unknown[] }>(
        `SELECT a.table_name, a.record_id, a.after, coalesce(to_jsonb(d), to_jsonb(di)) AS stored, ARRAY[a.role, a.method, a.path, a.ip, a.device, a.action] AS fields
         FROM audit_log a LEFT JOIN donations d ON a.table_name = 'donations' AND d.id::text = a.record_id
           LEFT JOIN donation_items di ON a.table_name = 'donation_items' AND di.id::text = a.record_id
         WHERE (a.table_name = 'donations' AND a.record_id = $1::int::text) OR (a.table_name = 'donation_items' AND di.donation_id = $1::int)
         ORDER BY a.id`,
        [donationId],
      );
    const [byTrigger, byBatch] = [await rows(alone.id), await rows(together!.id)];
    expect(byTrigger.map((r) => r.table_name)).toEqual(['donations', 'donation_items']);
    expect(byBatch.map((r) => r.table_name).sort()).toEqual(['donation_items', 'donation_items', 'donations']);
    for (const r of [...byTrigger, ...byBatch]) expect(r.after).toEqual(r.stored);
    expect(new Set([...byTrigger, ...byBatch].map((r) => JSON.stringify(r.fields))).size).toBe(1);
  });

  it('writes one batch at a time: the pledges that come while it is written go together in the next (fewer statements in a burst)', async () => {
    let transactions = 0;
    // A database slow to commit, so that pledges keep coming while a batch is written.
    const slow: Db = { ...db, transaction: (fn) => (transactions++, db.transaction(async (tx) => { const value = await fn(tx); await new Promise((r) => setTimeout(r, 40)); return value; })) };
    const slowDoor = grouped(slow);
    const send = (i: number) => {
      const req = { method: 'POST', originalUrl: '/api/donations', ip: '10.0.0.9', get: () => 'test-agent' } as unknown as Request;
      return audited(req, charities[0]!, `burst-${i}`, () => pledge(slowDoor, { warehouseId, donorName: `burst-${i}`, items: [{ commodityId: rice, quantity: 1 }] }, charities[0]!));
    };
    const first = send(0);
    const rest: Promise<unknown>[] = [];
    for (let i = 1; i <= 12; i++) {
      await new Promise((r) => setTimeout(r, 3));
      rest.push(send(i));
    }
    await Promise.all([first, ...rest]);
    // The first alone; the twelve that came while it (then the next) was written, in one or two batches.
    expect(transactions).toBeLessThanOrEqual(3);
    expect(Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM donations WHERE donor_name LIKE 'burst-%'`))[0]!.n)).toBe(13);
  });

  it('refuses a pledge of a missing commodity alone, naming it, with nothing of it written', async () => {
    const outcomes = await Promise.allSettled([asRequest(charities[0]!, 'request-good'), asRequest(charities[1]!, 'request-bad', 999_999)]);
    expect(outcomes[0]!.status).toBe('fulfilled');
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { status: 404, extra: { errors: [{ field: 'body.items.0.commodityId' }] } } });
    const rows = await db.query<{ donor_name: string }>(`SELECT donor_name FROM donations WHERE donor_name LIKE 'request-%' ORDER BY id`);
    expect(rows.map((r) => r.donor_name)).toEqual(['request-one', 'request-two', 'request-good']);
    const good = (outcomes[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof pledge>>>).value;
    expect((await auditOf([good.id])).map((a) => [a.user_id, a.request_id])).toEqual([
      [charities[0]!.id, 'request-good'],
      [charities[0]!.id, 'request-good'],
      [charities[0]!.id, 'request-good'],
    ]);
  });
});
