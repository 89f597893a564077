// SQL for road closures: the only module that reads or writes the closures table.
import type { Queryable } from '../db/database.ts';
import { insertRow, toCamel } from '../db/rows.ts';
import type { Closure, NewClosure } from './network.schema.ts';

type LiftedClosure = Closure & { liftedAt: string | null };

export async function openClosures(db: Queryable): Promise<Closure[]> {
  return (await db.query('SELECT * FROM closures WHERE lifted_at IS NULL ORDER BY id')).map((r) => toCamel<Closure>(r));
}

export const insertClosure = (db: Queryable, input: NewClosure & { createdBy: number }) => insertRow<Closure>(db, 'closures', input);

export async function findClosure(db: Queryable, id: number): Promise<LiftedClosure | undefined> {
  const [row] = await db.query('SELECT * FROM closures WHERE id = $1', [id]);
  return row && toCamel<LiftedClosure>(row);
}

export async function liftClosure(db: Queryable, id: number, actorId: number, reason: string | null): Promise<Closure> {
  const [row] = await db.query('UPDATE closures SET lifted_at = now(), lifted_by = $2, lift_reason = $3 WHERE id = $1 RETURNING *', [id, actorId, reason]);
  return toCamel<Closure>(row!);
}
