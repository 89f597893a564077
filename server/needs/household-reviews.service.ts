// Reports held for a coordinator: a worker's report whose address and phone match a household of a
// community they do not work in is neither merged nor refused with details; it waits here, and a
// coordinator accepts it (the need is recorded on that household, whose community stays) or rejects it.
import type { Db, Queryable } from '../db/database.ts';
import type { LiveHub } from '../live/hub.ts';
import { toCamel, type Page } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { getHousehold, lockHousehold } from './households.service.ts';
import type { Household } from './needs.schema.ts';
import { announceRecorded, needOn, type Reporter } from './needs.service.ts';
import type { NewNeed, ReviewQuery } from './needs.schema.ts';

export interface HouseholdReview {
  id: number;
  report: NewNeed;
  source: string;
  submittedBy: number;
  submittedAt: string;
  householdId: number;
  state: 'pending' | 'accepted' | 'rejected';
  needId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
}

/** What the reporter is told: that a coordinator will look, and under which number; nothing of the household. */
export const heldForReview = (reviewId: number) =>
  new ConflictError(`the address and phone match a household outside your communities: the report is held for a coordinator's review (review ${reviewId})`, {
    held: true,
    reviewId,
  });

/** Holds a report (the same report held again, as when a file is sent twice, keeps its first review); the review's id. */
export async function holdForReview(tx: Queryable, report: NewNeed, householdId: number, { source, actorId }: Reporter): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `WITH same AS (
       SELECT id FROM household_reviews WHERE state = 'pending' AND submitted_by = $3 AND household_id = $4 AND source = $2 AND report = $1::jsonb LIMIT 1
     ), added AS (
       INSERT INTO household_reviews (report, source, submitted_by, household_id) SELECT $1::jsonb, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM same) RETURNING id
     )
     SELECT id FROM same UNION ALL SELECT id FROM added`,
    [JSON.stringify(report), source, actorId, householdId],
  );
  return row!.id;
}

/** Reviews (pending first by default) with the household each report matched, for coordinators. */
export async function listReviews(db: Db, query: ReviewQuery): Promise<Page<HouseholdReview & { household: Household }>> {
  const [{ total }] = (await db.query<{ total: number }>('SELECT count(*)::int AS total FROM household_reviews WHERE state = $1', [query.state])) as [{ total: number }];
  const rows = await db.query('SELECT * FROM household_reviews WHERE state = $1 ORDER BY id LIMIT $2 OFFSET $3', [query.state, query.limit, query.offset]);
  const items = [];
  for (const row of rows) {
    const review = toCamel<HouseholdReview>(row);
    items.push({ ...review, household: await getHousehold(db, review.householdId) });
  }
  return { items, total, limit: query.limit, offset: query.offset };
}

/** A coordinator's decision, once: accepting records the reported need on the matched household, which stays as it is. */
export async function decideReview(live: LiveHub, id: number, decision: 'accept' | 'reject', actorId: number): Promise<HouseholdReview> {
  return live.transaction(async (tx, notify) => {
    const [row] = await tx.query('SELECT * FROM household_reviews WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new NotFoundError('household review', id);
    const review = toCamel<HouseholdReview>(row);
    if (review.state !== 'pending') throw new ConflictError(`household review ${id} was ${review.state} already`, { current: review });
    let needId: number | null = null;
    if (decision === 'accept') {
      const recorded = await recordReviewed(tx, review);
      await announceRecorded(tx, notify, recorded, actorId);
      needId = recorded.need.id;
    }
    const [decided] = await tx.query(
      `UPDATE household_reviews SET state = $2, need_id = $3, decided_by = $4, decided_at = now() WHERE id = $1 RETURNING *`,
      [id, decision === 'accept' ? 'accepted' : 'rejected', needId, actorId],
    );
    return toCamel<HouseholdReview>(decided!);
  });
}

/**
 * The held need recorded on the household it matched. The household stays as stored: its details came from
 * someone outside its community, so a coordinator corrects them by hand if the report was right.
 */
async function recordReviewed(tx: Queryable, { report, source, householdId }: HouseholdReview) {
  const household = (await lockHousehold(tx, householdId))!;
  return needOn(tx, { household, created: false, keptManual: [] }, report, source);
}
