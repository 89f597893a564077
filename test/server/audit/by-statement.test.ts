// A table audited by statement (audit_policy.by_statement, 032: households, their history, needs; 033: stops,
// stop items) logs each statement's rows in one statement-level trigger: the log must read exactly as the
// row-by-row trigger writes it, for inserts, updates and deletes, the request taken from the setting or, for
// an insert without one, from the records' request notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../../server/db/database.ts';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';

const CONTEXT = { userId: 1, role: 'admin', method: 'POST', path: '/api/commodities', requestId: 'req-set', ip: '127.0.0.1', device: 'test' };

const asRequest = (tx: Tx, context: object = CONTEXT) => tx.query(`SELECT set_config('lifeline.request', $1, true)`, [JSON.stringify(context)]);

/** Two commodities with fixed ids and times, so that both ways of auditing see the same rows. */
const twoCommodities = (tx: Tx) =>
  tx.query(
    `INSERT INTO commodities (id, code, name, unit, weight_kg, volume_m3, category, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
       (9001, 'T-A', 'A', 'bag', 1, 0.01, 'food', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
       (9002, 'T-B', 'B', 'box', 2, 0.02, 'water', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  );

describe.each(databaseKinds)('tables audited by statement on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => (db = await openTestDatabase(kind)));
  afterAll(() => db.drop());

  /** The log rows (but their own id and time) that `write` leaves with commodities audited row by row or by statement; all rolled back. */
  async function logOf(byStatement: boolean, write: (tx: Tx) => Promise<unknown>): Promise<unknown[]> {
    const undo = new Error('rolled back');
    let log: unknown[] = [];
    await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO audit_policy (table_name, by_statement) VALUES ('commodities', $1) ON CONFLICT (table_name) DO UPDATE SET by_statement = $1`, [byStatement]);
        await tx.query('SELECT audit_attach()');
        const triggers = await tx.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'commodities'::regclass AND tgname LIKE 'audit%' ORDER BY tgname`);
        expect(triggers.map((t) => t.tgname)).toEqual(byStatement ? ['audit_deletes', 'audit_inserts', 'audit_updates'] : ['audit_changes']);
        await write(tx);
        log = await tx.query(`SELECT user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after FROM audit_log WHERE table_name = 'commodities' ORDER BY id`);
        throw undo;
      })
      .catch((error: unknown) => {
        if (error !== undo) throw error;
      });
    return log;
  }

  it('logs inserts, updates and deletes as the row-by-row trigger does, under the request setting', async () => {
    const write = async (tx: Tx) => {
      await asRequest(tx);
      await twoCommodities(tx);
      await tx.query(`UPDATE commodities SET name = name || '!', weight_kg = weight_kg WHERE id IN (9001, 9002)`);
      await tx.query(`DELETE FROM commodities WHERE id = 9002`);
    };
    const byRow = await logOf(false, write);
    expect(byRow).toHaveLength(5);
    expect(byRow[0]).toMatchObject({ request_id: 'req-set', record_id: '9001', action: 'insert', before: null, after: { code: 'T-A', weight_kg: 1 } });
    // An update logs only what changed.
    expect(byRow[2]).toMatchObject({ action: 'update', before: { name: 'A' }, after: { name: 'A!' } });
    expect(byRow[4]).toMatchObject({ action: 'delete', record_id: '9002', after: null });
    expect(await logOf(true, write)).toEqual(byRow);
  });

  it('without a request setting, logs only the inserted rows whose request was noted, under that request', async () => {
    const write = async (tx: Tx) => {
      await tx.query(`INSERT INTO audit_requests (table_name, record_id, context) VALUES ('commodities', '9002', $1)`, [JSON.stringify({ ...CONTEXT, requestId: 'req-noted' })]);
      await twoCommodities(tx);
      await tx.query(`UPDATE commodities SET name = 'unlogged' WHERE id = 9002`);
    };
    const byRow = await logOf(false, write);
    expect(byRow).toMatchObject([{ request_id: 'req-noted', record_id: '9002', action: 'insert' }]);
    expect(await logOf(true, write)).toEqual(byRow);
    expect(await logOf(true, twoCommodities)).toEqual([]);
  });
});
