// SQL for registrations: the only module that reads or writes the registrations table. The reference is kept
// only as its hash, and the merge keys never leave this noun.
import type { Queryable } from '../db/database.ts';
import { insertRow, toCamel } from '../db/rows.ts';
import type { NewRegistration, Registration, RegistrationStatus } from './registrations.schema.ts';

type Row = Record<string, unknown>;

function fromRow(row: Row): Registration {
  const { referenceHash: _r, addressKey: _a, phoneKey: _p, ...registration } = toCamel<Registration & { referenceHash: string; addressKey: string; phoneKey: string }>(row);
  return registration;
}

export async function insertRegistration(db: Queryable, r: NewRegistration & { referenceHash: string; addressKey: string; phoneKey: string }): Promise<Registration> {
  return fromRow(await insertRow<Row>(db, 'registrations', r));
}

/** The registration a reference follows. */
export async function findByReference(db: Queryable, referenceHash: string): Promise<Registration | undefined> {
  const [row] = await db.query('SELECT * FROM registrations WHERE reference_hash = $1', [referenceHash]);
  return row && fromRow(row);
}

export async function lockRegistration(tx: Queryable, id: number): Promise<Registration | undefined> {
  const [row] = await tx.query('SELECT * FROM registrations WHERE id = $1 FOR UPDATE', [id]);
  return row && fromRow(row);
}

export async function decide(tx: Queryable, id: number, d: { status: RegistrationStatus; householdId: number | null; decidedBy: number }): Promise<Registration> {
  const [row] = await tx.query(
    `UPDATE registrations SET status = $2, household_id = $3, decided_by = $4, decided_at = now() WHERE id = $1 RETURNING *`,
    [id, d.status, d.householdId, d.decidedBy],
  );
  return fromRow(row!);
}

/** Pending registrations in these communities (null: all), oldest first. */
export async function pending(db: Queryable, communities: readonly string[] | null): Promise<Registration[]> {
  const rows = await db.query(`SELECT * FROM registrations WHERE status = 'pending' AND ($1::text[] IS NULL OR community = ANY($1)) ORDER BY created_at, id`, [communities]);
  return rows.map(fromRow);
}

/** Other pending registrations with the same address or phone, or in the same community (the caller compares names). */
export async function pendingLikeSame(db: Queryable, id: number, keys: { addressKey: string; phoneKey: string; community: string }): Promise<Registration[]> {
  const rows = await db.query(
    `SELECT * FROM registrations WHERE status = 'pending' AND id <> $1 AND (address_key = $2 OR (phone_key <> '' AND phone_key = $3) OR community = $4) ORDER BY id`,
    [id, keys.addressKey, keys.phoneKey, keys.community],
  );
  return rows.map(fromRow);
}

/** How many registrations wait in these communities. */
export async function countPending(db: Queryable, communities: readonly string[] | null): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM registrations WHERE status = 'pending' AND ($1::text[] IS NULL OR community = ANY($1))`, [communities]);
  return row!.n;
}
