// Idempotent creates: the first answer to (user, Idempotency-Key) is stored and replayed to retries,
// so a double click or a network retry never writes twice. A key reused for a different request is refused.
// A claim is one attempt at the request; its first committing transaction marks the claim applied, under the
// claim's row lock. So when a server stops between taking a claim and storing the answer, a retry (after
// CLAIM_LEASE_S) either takes over a claim that never took effect, or is told that the request was carried
// out and its answer lost. An attempt taken over can no longer commit: its mark finds another attempt.
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { atFirstCommit, type Db, type Queryable, type Tx } from '../db/database.ts';
import { ConflictError, HttpError, invalidField, toHttpError, problemBody, type ErrorCode } from './errors.ts';

/** How long an unanswered claim is left to its attempt before a retry may take it over. */
export const CLAIM_LEASE_S = 30;

/**
 * How long after its last attempt a reply is kept for retries (then pruned): a retry later than this
 * runs as a new request.
 */
export const RETRY_WINDOW_H = 24;

interface Answer {
  status: number;
  body: unknown;
}

interface StoredReply {
  request_hash: string;
  status: number | null;
  body: unknown;
  applied: boolean;
}

interface Claim {
  userId: number;
  key: string;
  attempt: string;
}

export async function replayOrRecord(db: Db, userId: number, key: string, req: Request, run: () => Promise<Answer>): Promise<Answer> {
  if (key.length > 200) throw invalidField('header.Idempotency-Key', 'at most 200 characters');
  const hash = requestHash(req);
  const attempt = await claim(db, userId, key, hash);
  if (!attempt) return replay(db, userId, key, hash);
  const mine: Claim = { userId, key, attempt };
  try {
    const answer = await atFirstCommit.run({ work: (tx) => markApplied(tx, mine) }, run);
    await store(db, mine, answer);
    return answer;
  } catch (error) {
    const known = toHttpError(error);
    if (known && known.status < 500) {
      // A client mistake is an answer too: the same retry gets the same refusal.
      await store(db, mine, { status: known.status, body: problemBody(known, req.originalUrl) });
    } else {
      // Nothing took effect: a retry may run it afresh. (Something did: retries are told so, see replay.)
      await db.query('DELETE FROM idempotent_replies WHERE user_id = $1 AND key = $2 AND attempt = $3 AND NOT applied', [userId, key, attempt]);
    }
    throw error;
  }
}

/** A new claim, or one taken over from an attempt that stopped before taking effect; its attempt id, or undefined. */
async function claim(db: Db, userId: number, key: string, hash: string): Promise<string | undefined> {
  const [fresh] = await db.query<{ attempt: string }>(
    `INSERT INTO idempotent_replies (user_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO NOTHING RETURNING attempt`,
    [userId, key, hash],
  );
  if (fresh) return fresh.attempt;
  const [taken] = await db.query<{ attempt: string }>(
    `UPDATE idempotent_replies SET attempt = gen_random_uuid(), claimed_at = now()
     WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND NOT applied
       AND claimed_at < now() - make_interval(secs => $4)
     RETURNING attempt`,
    [userId, key, hash, CLAIM_LEASE_S],
  );
  return taken?.attempt;
}

/** Inside the attempt's first committing transaction: the claim is still this attempt's, and now applied. */
async function markApplied(tx: Tx, { userId, key, attempt }: Claim): Promise<void> {
  const marked = await tx.query('UPDATE idempotent_replies SET applied = true WHERE user_id = $1 AND key = $2 AND attempt = $3 RETURNING key', [userId, key, attempt]);
  if (marked.length === 0) throw new ConflictError('a retry with this Idempotency-Key took this request over; it was not carried out here', { inProgress: true }, 'in-progress');
}

async function replay(db: Db, userId: number, key: string, hash: string): Promise<Answer> {
  const [stored] = await db.query<StoredReply>('SELECT request_hash, status, body, applied FROM idempotent_replies WHERE user_id = $1 AND key = $2', [userId, key]);
  if (stored && stored.request_hash !== hash) {
    throw new HttpError(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was already used for a different request', {
      errors: [{ field: 'header.Idempotency-Key', reason: 'already used for a different request' }],
    });
  }
  if (!stored || stored.status === null) {
    if (stored?.applied) {
      throw new ConflictError('the first request with this Idempotency-Key was carried out, but its answer was lost when the server stopped; reload to see the result', { carriedOut: true }, 'answer-lost');
    }
    throw new ConflictError('a request with this Idempotency-Key is still being processed; retry shortly', { inProgress: true, retryAfterS: CLAIM_LEASE_S }, 'in-progress');
  }
  if (stored.status >= 400) {
    const problem = stored.body as { title: string; detail: string; code?: ErrorCode };
    // A refusal stored before answers carried a code replays as a plain bad request.
    throw new HttpError(stored.status, problem.code ?? 'bad-request', problem.title, problem.detail, stored.body as Record<string, unknown>);
  }
  return { status: stored.status, body: stored.body };
}

async function store(db: Db, { userId, key, attempt }: Claim, answer: Answer): Promise<void> {
  await db.query('UPDATE idempotent_replies SET status = $4, body = $5 WHERE user_id = $1 AND key = $2 AND attempt = $3', [
    userId,
    key,
    attempt,
    answer.status,
    JSON.stringify(answer.body ?? null),
  ]);
}

function requestHash(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

/** Drops replies whose last attempt is older than the retry window (a claim taken over is as young as its takeover). */
export async function pruneReplies(db: Queryable): Promise<number> {
  const gone = await db.query('DELETE FROM idempotent_replies WHERE claimed_at < now() - make_interval(hours => $1) RETURNING key', [RETRY_WINDOW_H]);
  return gone.length;
}
