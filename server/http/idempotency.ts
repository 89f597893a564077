// Idempotent creates: the first answer to (user, Idempotency-Key) is stored and replayed to retries,
// so a double click or a network retry never writes twice. A key reused for a different request is refused.
// A claim is one attempt at the request; its first committing transaction marks the claim applied, under the
// claim's row lock. So when a server stops between taking a claim and storing the answer, a retry (after
// CLAIM_LEASE_S) either takes over a claim that never took effect, or is told that the request was carried
// out and its answer lost. An attempt taken over can no longer commit: its mark finds another attempt.
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { atFirstCommit, lastIn, transactionSettings, type Db, type Queryable, type Tx } from '../db/database.ts';
import * as repo from './idempotency.repo.ts';
import type { Claim, ClaimRequest, Found } from './idempotency.repo.ts';
import { GroupCommit } from './group-commit.ts';
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

export async function replayOrRecord(db: Db, userId: number, key: string, req: Request, run: () => Promise<Answer>): Promise<Answer> {
  if (key.length > 200) throw invalidField('header.Idempotency-Key', 'at most 200 characters');
  const hash = requestHash(req);
  const attempt = await unaudited(() => claim(db, userId, key, hash));
  if (typeof attempt !== 'string') return replay(db, userId, key, hash, attempt);
  const answered = record(db, { userId, key, attempt }, req, run);
  const id = underWayId(userId, key);
  underWay.set(id, answered);
  try {
    return await answered;
  } finally {
    if (underWay.get(id) === answered) underWay.delete(id);
  }
}

/**
 * Attempts under way on this node, by user and key: a retry that finds the claim unanswered waits here for
 * the attempt and replays its answer, rather than being told to retry later.
 */
const underWay = new Map<string, Promise<Answer>>();
const underWayId = (userId: number, key: string) => `${userId}\n${key}`;

/** Runs the claimed attempt and stores its answer (a refusal too). */
async function record(db: Db, mine: Claim, req: Request, run: () => Promise<Answer>): Promise<Answer> {
  try {
    const answer = await atFirstCommit.run({ work: (tx) => lastIn(tx, markApplied, mine) }, run);
    await writersOf(db).answers.submit({ claim: mine, ...answer });
    return answer;
  } catch (error) {
    const known = toHttpError(error);
    if (known && known.status < 500) {
      // A client mistake is an answer too: the same retry gets the same refusal.
      await writersOf(db).answers.submit({ claim: mine, status: known.status, body: problemBody(known, req.originalUrl) });
    } else {
      // Nothing took effect: a retry may run it afresh. (Something did: retries are told so, see replay.)
      await unaudited(() => repo.dropUnapplied(db, mine));
    }
    throw error;
  }
}

/**
 * The claim's own statements run without the request's settings (idempotent_replies is not audited): each is
 * then one statement, not a transaction of its own nor a turn in a grouped batch (db/grouped.ts).
 */
const unaudited = <T>(work: () => Promise<T>): Promise<T> => transactionSettings.exit(work);

/** Concurrent requests' claims, and their answers, each written together in one statement (group commit). */
interface Writers {
  claims: GroupCommit<ClaimRequest, Found>;
  answers: GroupCommit<{ claim: Claim } & Answer, undefined>;
}

const writers = new WeakMap<Db, Writers>();

function writersOf(db: Db): Writers {
  const known = writers.get(db);
  if (known) return known;
  // One batch at a time (as db/grouped.ts): the claims that come meanwhile are written together in the next.
  const limits = { maxBatch: 200, lingerMs: 1, maxQueued: 4000, maxWaitMs: 1000, concurrency: 1 };
  const mine: Writers = {
    // A claim refused as busy (503) has done nothing yet.
    claims: new GroupCommit((requests) => unaudited(() => repo.claimOrFindMany(db, requests)), limits),
    // An answer is never refused: its request has taken effect. (Its queue holds at most the requests under way.)
    answers: new GroupCommit(
      async (answers) => {
        await unaudited(() => repo.storeAnswers(db, answers));
        return answers.map(() => undefined);
      },
      { ...limits, maxQueued: Infinity, maxWaitMs: Infinity },
    ),
  };
  writers.set(db, mine);
  return mine;
}

/**
 * A new claim, or one taken over from an attempt that stopped before taking effect: its attempt id. Else the
 * reply stored for the key (undefined: read it afresh), which a retry usually finds answered, at once.
 */
async function claim(db: Db, userId: number, key: string, hash: string): Promise<string | repo.StoredReply | undefined> {
  const found = await writersOf(db).claims.submit({ userId, key, hash });
  if (found.attempt) return found.attempt;
  const stored = found.stored ?? (await repo.findReply(db, userId, key));
  if (!stored || stored.status !== null || stored.applied) return stored;
  return repo.takeOverClaim(db, userId, key, hash, CLAIM_LEASE_S);
}

/**
 * Inside the attempts' first committing transaction (in a grouped batch, at its end for all its attempts): the
 * claims are still these attempts', and now applied. Else it is refused (a batch then commits each request alone).
 */
async function markApplied(tx: Tx, claims: Claim[]): Promise<void> {
  if ((await repo.markApplied(tx, claims)) < claims.length) throw new ConflictError('a retry with this Idempotency-Key took this request over; it was not carried out here', { inProgress: true }, 'in-progress');
}

async function replay(db: Db, userId: number, key: string, hash: string, known?: repo.StoredReply): Promise<Answer> {
  const stored = known ?? (await unaudited(() => repo.findReply(db, userId, key)));
  if (stored && stored.request_hash !== hash) {
    throw new HttpError(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was already used for a different request', {
      errors: [{ field: 'header.Idempotency-Key', reason: 'already used for a different request' }],
    });
  }
  if (!stored || stored.status === null) {
    const attempt = underWay.get(underWayId(userId, key));
    if (attempt) {
      await attempt.catch(() => undefined);
      return replay(db, userId, key, hash);
    }
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

function requestHash(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

/** Drops replies whose last attempt is older than the retry window (a claim taken over is as young as its takeover). */
export async function pruneReplies(db: Queryable): Promise<number> {
  return repo.deleteRepliesOlderThan(db, RETRY_WINDOW_H);
}
