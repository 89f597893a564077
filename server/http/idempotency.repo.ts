// SQL for the idempotency store: the only module that reads or writes idempotent_replies.
import type { Queryable } from '../db/database.ts';

export interface StoredReply {
  request_hash: string;
  status: number | null;
  body: unknown;
  applied: boolean;
}

export interface Claim {
  userId: number;
  key: string;
  attempt: string;
}

/**
 * A new claim on (user, key): its attempt id; else, read by the same statement, the reply stored for the key
 * (neither when the claim in the way committed too late for this statement to read it).
 */
export async function claimOrFind(db: Queryable, userId: number, key: string, hash: string): Promise<{ attempt?: string; stored?: StoredReply }> {
  const [row] = await db.query<{ attempt: string | null } & { [K in keyof StoredReply]: StoredReply[K] | null }>(
    `WITH claimed AS (
       INSERT INTO idempotent_replies (user_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, key) DO NOTHING RETURNING attempt)
     SELECT claimed.attempt, r.request_hash, r.status, r.body, r.applied
     FROM (SELECT) AS one LEFT JOIN claimed ON true
       LEFT JOIN idempotent_replies r ON claimed.attempt IS NULL AND r.user_id = $1 AND r.key = $2`,
    [userId, key, hash],
  );
  const { attempt, request_hash, status, body, applied } = row!;
  if (attempt) return { attempt };
  return request_hash === null ? {} : { stored: { request_hash, status, body, applied: applied! } };
}

/** Takes over the claim of the same request when its attempt stopped before taking effect `leaseS` ago; the new attempt id. */
export async function takeOverClaim(db: Queryable, userId: number, key: string, hash: string, leaseS: number): Promise<string | undefined> {
  const [row] = await db.query<{ attempt: string }>(
    `UPDATE idempotent_replies SET attempt = gen_random_uuid(), claimed_at = now()
     WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND NOT applied
       AND claimed_at < now() - make_interval(secs => $4)
     RETURNING attempt`,
    [userId, key, hash, leaseS],
  );
  return row?.attempt;
}

/** Marks the claim applied if it is still this attempt's; whether it was. */
export async function markApplied(db: Queryable, { userId, key, attempt }: Claim): Promise<boolean> {
  const marked = await db.query('UPDATE idempotent_replies SET applied = true WHERE user_id = $1 AND key = $2 AND attempt = $3 RETURNING key', [userId, key, attempt]);
  return marked.length > 0;
}

/** Drops a claim whose attempt took no effect, so that a retry runs afresh. */
export async function dropUnapplied(db: Queryable, { userId, key, attempt }: Claim): Promise<void> {
  await db.query('DELETE FROM idempotent_replies WHERE user_id = $1 AND key = $2 AND attempt = $3 AND NOT applied', [userId, key, attempt]);
}

export async function findReply(db: Queryable, userId: number, key: string): Promise<StoredReply | undefined> {
  const [row] = await db.query<StoredReply>('SELECT request_hash, status, body, applied FROM idempotent_replies WHERE user_id = $1 AND key = $2', [userId, key]);
  return row;
}

export async function storeAnswer(db: Queryable, { userId, key, attempt }: Claim, answer: { status: number; body: unknown }): Promise<void> {
  await db.query('UPDATE idempotent_replies SET status = $4, body = $5 WHERE user_id = $1 AND key = $2 AND attempt = $3', [
    userId,
    key,
    attempt,
    answer.status,
    JSON.stringify(answer.body ?? null),
  ]);
}

/** Drops replies whose last attempt is older than `hours`; how many. */
export async function deleteRepliesOlderThan(db: Queryable, hours: number): Promise<number> {
  const gone = await db.query('DELETE FROM idempotent_replies WHERE claimed_at < now() - make_interval(hours => $1) RETURNING key', [hours]);
  return gone.length;
}
