// Reports held for a coordinator: a worker's report whose address and phone match a household of a
// community they do not work in is neither merged nor refused with details; it waits here, and a
// coordinator accepts it (the need is recorded on that household, whose community stays) or rejects it.
import type { Db, Queryable } from '../db/database.ts';
import type { Outbox } from '../live/outbox.ts';
import type { Page } from '../db/rows.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { getHousehold, lockHousehold } from './households.service.ts';
import type { Household } from './needs.schema.ts';
import { announceRecorded, needOn, type Reporter } from './needs.service.ts';
import * as repo from './household-reviews.repo.ts';
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
  new ConflictError(
    `the address and phone match a household outside your communities: the report is held for a coordinator's review (review ${reviewId})`,
    { held: true, reviewId },
    'held-for-review',
  );

/** Holds a report (the same report held again, as when a file is sent twice, keeps its first review); the review's id. */
export async function holdForReview(tx: Queryable, report: NewNeed, householdId: number, { source, actorId }: Reporter): Promise<number> {
  return repo.holdOnce(tx, { report, source, submittedBy: actorId, householdId });
}

/** Reviews (pending first by default) with the household each report matched, for coordinators. */
export async function listReviews(db: Db, query: ReviewQuery): Promise<Page<HouseholdReview & { household: Household }>> {
  const total = await repo.countReviews(db, query.state);
  const items = [];
  for (const review of await repo.listReviews(db, query)) {
    items.push({ ...review, household: await getHousehold(db, review.householdId) });
  }
  return { items, total, limit: query.limit, offset: query.offset };
}

/** A coordinator's decision, once: accepting records the reported need on the matched household, which stays as it is. */
export async function decideReview(outbox: Outbox, id: number, decision: 'accept' | 'reject', actorId: number): Promise<HouseholdReview> {
  return outbox.transaction(async (tx, notify) => {
    const review = await repo.lockReview(tx, id);
    if (!review) throw new NotFoundError('household review', id);
    if (review.state !== 'pending') throw new ConflictError(`household review ${id} was ${review.state} already`, { current: review });
    let needId: number | null = null;
    if (decision === 'accept') {
      const recorded = await recordReviewed(tx, review);
      await announceRecorded(tx, notify, recorded, actorId);
      needId = recorded.need.id;
    }
    return repo.saveDecision(tx, id, { state: decision === 'accept' ? 'accepted' : 'rejected', needId, decidedBy: actorId });
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
