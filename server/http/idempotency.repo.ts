// SQL for the idempotency store: the only module that reads or writes idempotent_replies.
import { prepared, type Queryable } from '../db/database.ts';

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

/** A request's claim on its Idempotency-Key. */
export interface ClaimRequest {
  userId: number;
  key: string;
  hash: string;
}

/** What a claim found: its new attempt id, else the reply stored for the key (neither: read it afresh). */
export interface Found {
  attempt?: string;
  stored?: StoredReply;
}

/**
 * Many requests' claims in one statement, each answered in order: a new attempt id, else the reply stored
 * for the key as the same statement reads it. Neither when the claim in the way committed too late for the
 * statement to read it, or when a request earlier in the list claimed the same key.
 */
export async function claimOrFindMany(db: Queryable, requests: ClaimRequest[]): Promise<Found[]> {
  const rows = await db.query<{ user_id: number; key: string; attempt: string | null } & { [K in keyof StoredReply]: StoredReply[K] | null }>(
    prepared(`WITH input AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS i(user_id, key, request_hash, n)),
     claimed AS (
       INSERT INTO idempotent_replies (user_id, key, request_hash)
       SELECT DISTINCT ON (user_id, key) user_id, key, request_hash FROM input ORDER BY user_id, key, n
       ON CONFLICT (user_id, key) DO NOTHING RETURNING user_id, key, attempt)
     SELECT i.user_id, i.key, claimed.attempt, r.request_hash, r.status, r.body, r.applied
     FROM input i LEFT JOIN claimed ON claimed.user_id = i.user_id AND claimed.key = i.key
       LEFT JOIN idempotent_replies r ON claimed.attempt IS NULL AND r.user_id = i.user_id AND r.key = i.key
     ORDER BY i.n`),
    [requests.map((r) => r.userId), requests.map((r) => r.key), requests.map((r) => r.hash)],
  );
  const taken = new Set<string>();
  return rows.map(({ attempt, request_hash, status, body, applied }) => {
    if (attempt) {
      if (taken.has(attempt)) return {};
      taken.add(attempt);
      return { attempt };
    }
    return request_hash === null ? {} : { stored: { request_hash, status, body, applied: applied! } };
  });
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

/** Marks the claims applied that are still their attempts'; how many were. */
export async function markApplied(db: Queryable, claims: Claim[]): Promise<number> {
  const marked = await db.query(
    prepared(`UPDATE idempotent_replies r SET applied = true FROM unnest($1::int[], $2::text[], $3::uuid[]) AS c(user_id, key, attempt)
     WHERE r.user_id = c.user_id AND r.key = c.key AND r.attempt = c.attempt RETURNING r.key`),
    [claims.map((c) => c.userId), claims.map((c) => c.key), claims.map((c) => c.attempt)],
  );
  return marked.length;
}

/** Drops a claim whose attempt took no effect, so that a retry runs afresh. */
export async function dropUnapplied(db: Queryable, { userId, key, attempt }: Claim): Promise<void> {
  await db.query('DELETE FROM idempotent_replies WHERE user_id = $1 AND key = $2 AND attempt = $3 AND NOT applied', [userId, key, attempt]);
}

export async function findReply(db: Queryable, userId: number, key: string): Promise<StoredReply | undefined> {
  const [row] = await db.query<StoredReply>('SELECT request_hash, status, body, applied FROM idempotent_replies WHERE user_id = $1 AND key = $2', [userId, key]);
  return row;
}

/** Many attempts' answers in one statement (an attempt taken over meanwhile stores none). */
export async function storeAnswers(db: Queryable, answers: { claim: Claim; status: number; body: unknown }[]): Promise<void> {
  await db.query(
    prepared(`UPDATE idempotent_replies r SET status = a.status, body = a.body::jsonb
     FROM unnest($1::int[], $2::text[], $3::uuid[], $4::int[], $5::text[]) AS a(user_id, key, attempt, status, body)
     WHERE r.user_id = a.user_id AND r.key = a.key AND r.attempt = a.attempt`),
    [
      answers.map((a) => a.claim.userId),
      answers.map((a) => a.claim.key),
      answers.map((a) => a.claim.attempt),
      answers.map((a) => a.status),
      answers.map((a) => JSON.stringify(a.body ?? null)),
    ],
  );
}

/** Drops replies whose last attempt is older than `hours`; how many. */
export async function deleteRepliesOlderThan(db: Queryable, hours: number): Promise<number> {
  const gone = await db.query('DELETE FROM idempotent_replies WHERE claimed_at < now() - make_interval(hours => $1) RETURNING key', [hours]);
  return gone.length;
}
