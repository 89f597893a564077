// SQL for reports held for a coordinator's review: the only module that reads or writes household_reviews.
import type { Queryable } from '../db/database.ts';
import { limitOffset, orderBy, toCamel, type Paging } from '../db/rows.ts';
import type { HouseholdReview } from './household-reviews.service.ts';
import type { NewNeed } from './needs.schema.ts';

/** Holds a report unless the same one is pending already; the review's id either way. */
export async function holdOnce(db: Queryable, review: { report: NewNeed; source: string; submittedBy: number; householdId: number }): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `WITH same AS (
       SELECT id FROM household_reviews WHERE state = 'pending' AND submitted_by = $3 AND household_id = $4 AND source = $2 AND report = $1::jsonb LIMIT 1
     ), added AS (
       INSERT INTO household_reviews (report, source, submitted_by, household_id) SELECT $1::jsonb, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM same) RETURNING id
     )
     SELECT id FROM same UNION ALL SELECT id FROM added`,
    [JSON.stringify(review.report), review.source, review.submittedBy, review.householdId],
  );
  return row!.id;
}

export async function countReviews(db: Queryable, state: string): Promise<number> {
  const [{ total }] = (await db.query<{ total: number }>('SELECT count(*)::int AS total FROM household_reviews WHERE state = $1', [state])) as [{ total: number }];
  return total;
}

export async function listReviews(db: Queryable, query: Paging<'id'> & { state: string }): Promise<HouseholdReview[]> {
  const params: unknown[] = [query.state];
  const rows = await db.query(`SELECT * FROM household_reviews WHERE state = $1 ${orderBy(query.sort, { id: 'id' })} ${limitOffset(params, query)}`, params);
  return rows.map((r) => toCamel<HouseholdReview>(r));
}

export async function lockReview(db: Queryable, id: number): Promise<HouseholdReview | undefined> {
  const [row] = await db.query('SELECT * FROM household_reviews WHERE id = $1 FOR UPDATE', [id]);
  return row && toCamel<HouseholdReview>(row);
}

export async function saveDecision(db: Queryable, id: number, decision: { state: 'accepted' | 'rejected'; needId: number | null; decidedBy: number }): Promise<HouseholdReview> {
  const [row] = await db.query(`UPDATE household_reviews SET state = $2, need_id = $3, decided_by = $4, decided_at = now() WHERE id = $1 RETURNING *`, [
    id,
    decision.state,
    decision.needId,
    decision.decidedBy,
  ]);
  return toCamel<HouseholdReview>(row!);
}
