import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';
import type { Db } from '../../../server/db/database.ts';
import { grouped } from '../../../server/db/grouped.ts';
import { audited } from '../../../server/audit/audit.service.ts';
import { createUser } from '../../../server/auth/auth.service.ts';
import type { SignedInUser } from '../../../server/auth/roles.ts';
import { Outbox } from '../../../server/live/outbox.ts';
import { createNeed } from '../../../server/needs/needs.service.ts';
import type { HouseholdInput } from '../../../server/needs/needs.schema.ts';

// Concurrent reports of households not known yet are written by one statement at the end of their grouped batch:
// each is still audited as its own request, a report that must merge (into a household stored, or into one a
// report of the same batch creates) takes the long way as its own request, and every need is announced.
describe.each(databaseKinds)('need reports written together on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  let workers: SignedInUser[];
  let rice: number;
  /** The SQL the batches sent. */
  const sent: string[] = [];
  let outbox: Outbox;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    workers = [
      await createUser(db, { email: 'first@community.test', name: 'First worker', role: 'community', password: 'correct-horse-battery' }),
      await createUser(db, { email: 'second@community.test', name: 'Second worker', role: 'community', password: 'correct-horse-battery' }),
    ];
    [{ id: rice }] = (await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('R', 'Rice', 'bag', 5, 0.01, 'food') RETURNING id`)) as [{ id: number }];
    const counted: Db = { ...db, transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => (sent.push(sql), tx.query(sql, params)) })) };
    outbox = new Outbox(grouped(counted, { maxBatch: 100, lingerMs: 50, maxQueued: 1000, maxWaitMs: 5000, concurrency: 1 }));
  });
  afterAll(() => db.drop());

  const household = (address: string, phone: string): HouseholdInput => ({
    name: `At ${address}`, address, phone, lat: 43.73, lon: 7.42, people: 2, community: 'Condamine',
    elderlyAlone: false, chronicIllness: true, disabled: false, pregnant: false, infant: false,
  });

  /** A report sent as its own HTTP request would be: audited under its worker and request id. */
  const report = (worker: SignedInUser, requestId: string, input: { household: HouseholdInput } | { householdId: number }, quantity = 2) => {
    const req = { method: 'POST', originalUrl: '/api/needs', ip: '10.0.0.9', get: () => 'test-agent' } as unknown as Request;
    return audited(req, worker, requestId, () => createNeed(outbox, { ...input, commodityId: rice, quantity, urgency: 'normal' }, worker.id));
  };

  const auditOf = (table: string, ids: number[]) =>
    db.query<{ record_id: string; user_id: number; request_id: string }>(`SELECT record_id, user_id, request_id FROM audit_log WHERE table_name = $1 AND action = 'insert' AND record_id = ANY($2::text[]) ORDER BY id`, [table, ids.map(String)]);

  const announced = async (needIds: number[]) =>
    (await db.query<{ need_id: number }>(`SELECT (data ->> 'needId')::int AS need_id FROM live_events WHERE type = 'need:changed' AND (data ->> 'needId')::int = ANY($1::int[])`, [needIds])).map((e) => e.need_id).sort();

  it('writes two requests’ new households and needs in one statement and audits each record as its own request’s', async () => {
    sent.length = 0;
    const [first, second] = await Promise.all([report(workers[0]!, 'request-one', { household: household('1 Rue Une', '93 10 00 01') }), report(workers[1]!, 'request-two', { household: household('2 Rue Deux', '93 10 00 02') })]);
    expect(sent.filter((sql) => sql.includes('INSERT INTO households'))).toHaveLength(1);
    expect(sent.filter((sql) => sql.includes('set_config'))).toHaveLength(0);
    expect([first.householdCreated, second.householdCreated]).toEqual([true, true]);
    const mine = (r: typeof first, worker: SignedInUser, requestId: string) => ({ household: r.household.id, need: r.need.id, worker: worker.id, requestId });
    for (const r of [mine(first, workers[0]!, 'request-one'), mine(second, workers[1]!, 'request-two')]) {
      expect((await auditOf('households', [r.household])).map((a) => [a.user_id, a.request_id])).toEqual([[r.worker, r.requestId]]);
      expect((await auditOf('needs', [r.need])).map((a) => [a.user_id, a.request_id])).toEqual([[r.worker, r.requestId]]);
      const [history] = await db.query<{ id: number }>('SELECT id FROM household_field_history WHERE household_id = $1', [r.household]);
      expect((await auditOf('household_field_history', [history!.id])).map((a) => [a.user_id, a.request_id])).toEqual([[r.worker, r.requestId]]);
    }
    expect(await announced([first.need.id, second.need.id])).toEqual([first.need.id, second.need.id].sort());
    // Each audit row as the trigger writes one for an insert: the whole row as stored, the request's fields.
    const rows = await db.query<{ after: unknown; stored: unknown; fields: unknown[] }>(
      `SELECT a.after, coalesce(to_jsonb(h), to_jsonb(f), to_jsonb(n)) AS stored, ARRAY[a.role, a.method, a.path, a.ip, a.device] AS fields
       FROM audit_log a LEFT JOIN households h ON a.table_name = 'households' AND h.id::text = a.record_id
         LEFT JOIN household_field_history f ON a.table_name = 'household_field_history' AND f.id::text = a.record_id
         LEFT JOIN needs n ON a.table_name = 'needs' AND n.id::text = a.record_id
       WHERE a.request_id IN ('request-one', 'request-two')`,
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.after).toEqual(r.stored);
    expect(rows.map((r) => r.fields)).toEqual(rows.map(() => ['community', 'POST', '/api/needs', '10.0.0.9', 'test-agent']));
  });

  it('merges a report into a household the same batch creates, or one already stored, each as its own request, and announces every need', async () => {
    const stored = await report(workers[0]!, 'stored-first', { household: household('3 Rue Trois', '93 10 00 03') });
    const [byId, fresh, twin, again] = await Promise.all([
      // Asked by id: the long way inside its own transaction, its events queued before the batch's end.
      report(workers[1]!, 'by-id', { householdId: stored.household.id }, 5),
      report(workers[0]!, 'fresh', { household: household('4 Rue Quatre', '93 10 00 04') }),
      report(workers[1]!, 'twin', { household: household('4 rue quatre', '+377 93 10 00 04') }, 6),
      report(workers[1]!, 'again', { household: household('3 Rue Trois', '93 10 00 03') }, 7),
    ]);
    expect([fresh.householdCreated, twin.householdCreated, again.householdCreated]).toEqual([true, false, false]);
    expect(twin.household.id).toBe(fresh.household.id);
    expect(twin).toMatchObject({ merged: true, need: { id: fresh.need.id, quantity: 6 } });
    expect(again.household.id).toBe(stored.household.id);
    expect((await db.query(`SELECT id FROM households WHERE address_key = '4 rue quatre'`))).toHaveLength(1);
    expect((await db.query<{ quantity: number }>('SELECT quantity FROM needs WHERE id = $1', [stored.need.id]))[0]!.quantity).toBe(7);
    // The merges were written under their own requests.
    const updates = await db.query<{ record_id: string; request_id: string }>(`SELECT record_id, request_id FROM audit_log WHERE table_name = 'needs' AND action = 'update' AND request_id IN ('twin', 'again', 'by-id')`);
    expect(updates.map((u) => u.request_id).sort()).toEqual(['again', 'by-id', 'twin']);
    expect(byId.need.id).toBe(stored.need.id);
    const events = await db.query<{ request: string }>(`SELECT data ->> 'change' AS request FROM live_events WHERE type = 'need:changed' AND (data ->> 'needId')::int IN ($1, $2)`, [fresh.need.id, stored.need.id]);
    // fresh created; twin merged into it; stored created, then by-id and again merged into it.
    expect(events.map((e) => e.request).sort()).toEqual(['created', 'created', 'merged', 'merged', 'merged']);
  });
});
