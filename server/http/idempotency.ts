// Idempotent creates: the first answer to (user, Idempotency-Key) is stored and replayed to retries,
// so a double click or a network retry never writes twice. A key reused for a different request is refused.
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { ConflictError, HttpError, invalidField, toHttpError, problemBody } from './errors.ts';

interface Answer {
  status: number;
  body: unknown;
}

interface StoredReply {
  request_hash: string;
  status: number | null;
  body: unknown;
}

export async function replayOrRecord(
  db: Db,
  userId: number,
  key: string,
  req: Request,
  run: () => Promise<Answer>,
): Promise<Answer> {
  if (key.length > 200) throw invalidField('header.Idempotency-Key', 'at most 200 characters');
  const hash = requestHash(req);
  const claimed = await db.query(
    `INSERT INTO idempotent_replies (user_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
    [userId, key, hash],
  );
  if (claimed.length === 0) return replay(db, userId, key, hash);
  try {
    const answer = await run();
    await store(db, userId, key, answer);
    return answer;
  } catch (error) {
    const known = toHttpError(error);
    if (known && known.status < 500) {
      // A client mistake is an answer too: the same retry gets the same refusal.
      await store(db, userId, key, { status: known.status, body: problemBody(known, req.originalUrl) });
    } else {
      await db.query('DELETE FROM idempotent_replies WHERE user_id = $1 AND key = $2', [userId, key]);
    }
    throw error;
  }
}

async function replay(db: Db, userId: number, key: string, hash: string): Promise<Answer> {
  const [stored] = await db.query<StoredReply>(
    'SELECT request_hash, status, body FROM idempotent_replies WHERE user_id = $1 AND key = $2',
    [userId, key],
  );
  if (!stored || stored.status === null) {
    throw new ConflictError('a request with this Idempotency-Key is still being processed; retry shortly');
  }
  if (stored.request_hash !== hash) {
    throw new HttpError(422, 'Idempotency-Key reused', 'this Idempotency-Key was already used for a different request', {
      errors: [{ field: 'header.Idempotency-Key', reason: 'already used for a different request' }],
    });
  }
  if (stored.status >= 400) {
    const problem = stored.body as { title: string; detail: string };
    throw new HttpError(stored.status, problem.title, problem.detail, stored.body as Record<string, unknown>);
  }
  return { status: stored.status, body: stored.body };
}

async function store(db: Db, userId: number, key: string, answer: Answer): Promise<void> {
  await db.query('UPDATE idempotent_replies SET status = $3, body = $4 WHERE user_id = $1 AND key = $2', [
    userId,
    key,
    answer.status,
    JSON.stringify(answer.body ?? null),
  ]);
}

function requestHash(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}
