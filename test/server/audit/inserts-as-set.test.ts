// A table marked inserts_as_set (033: stops, stop_items) logs an insert statement's rows in one statement-level
// trigger: the log must read exactly as the row-by-row trigger writes it, secrets hidden, the request taken from
// the setting or, without one, from the records' request notes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../../server/db/database.ts';
import { databaseKinds, openTestDatabase } from '../../support/app.ts';

const CONTEXT = { userId: 1, role: 'admin', method: 'POST', path: '/api/users', requestId: 'req-set', ip: '127.0.0.1', device: 'test' };

/** Two users with fixed ids and times, so that both ways of auditing see the same rows. */
const twoUsers = (tx: Tx) =>
  tx.query(
    `INSERT INTO users (id, email, name, role, password_hash, created_at) OVERRIDING SYSTEM VALUE VALUES
       (9001, 'a@example.org', 'A', 'driver', 'hash-a', '2026-01-01T00:00:00Z'), (9002, 'b@example.org', 'B', 'charity', 'hash-b', '2026-01-01T00:00:00Z')`,
  );

describe.each(databaseKinds)('inserts audited as a set on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => (db = await openTestDatabase(kind)));
  afterAll(() => db.drop());

  /** The log rows (but their own id and time) that `write` leaves with users audited row by row or as a set; all rolled back. */
  async function logOf(asSet: boolean, write: (tx: Tx) => Promise<unknown>): Promise<unknown[]> {
    const undo = new Error('rolled back');
    let log: unknown[] = [];
    await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO audit_policy (table_name, inserts_as_set) VALUES ('users', $1) ON CONFLICT (table_name) DO UPDATE SET inserts_as_set = $1`, [asSet]);
        await tx.query('SELECT audit_attach()');
        const [trigger] = await tx.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'users'::regclass AND tgname = 'audit_inserts'`);
        expect(trigger !== undefined).toBe(asSet);
        await write(tx);
        log = await tx.query(`SELECT user_id, role, method, path, request_id, ip, device, table_name, record_id, action, before, after FROM audit_log WHERE table_name = 'users' ORDER BY id`);
        throw undo;
      })
      .catch((error: unknown) => {
        if (error !== undo) throw error;
      });
    return log;
  }

  it('logs each row as the row-by-row trigger does, under the request setting, with its secret hidden', async () => {
    const write = async (tx: Tx) => {
      await tx.query(`SELECT set_config('lifeline.request', $1, true)`, [JSON.stringify(CONTEXT)]);
      await twoUsers(tx);
    };
    const byRow = await logOf(false, write);
    expect(byRow).toHaveLength(2);
    expect(byRow[0]).toMatchObject({ request_id: 'req-set', record_id: '9001', action: 'insert', before: null, after: { email: 'a@example.org', password_hash: '[secret]' } });
    expect(await logOf(true, write)).toEqual(byRow);
  });

  it('without a request setting, logs only the rows whose request was noted, under that request', async () => {
    const write = async (tx: Tx) => {
      await tx.query(`INSERT INTO audit_requests (table_name, record_id, context) VALUES ('users', '9002', $1)`, [JSON.stringify({ ...CONTEXT, requestId: 'req-noted' })]);
      await twoUsers(tx);
    };
    const byRow = await logOf(false, write);
    expect(byRow).toMatchObject([{ request_id: 'req-noted', record_id: '9002' }]);
    expect(await logOf(true, write)).toEqual(byRow);
    expect(await logOf(true, twoUsers)).toEqual([]);
  });
});
