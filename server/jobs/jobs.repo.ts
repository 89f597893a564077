// SQL for solve jobs: pg-boss keeps the jobs in its own schema (it writes them; we only read), and on a
// PostgreSQL server a job being run holds an advisory lock on a connection of its own, so another node
// can tell a job whose process died (its lock is free) from one still running.
import pg from 'pg';
import type { Db, Queryable } from '../db/database.ts';
import { quoteIdent } from '../db/database.ts';

export interface ActiveJob {
  id: string;
  name: string;
}

/** Jobs of these queues marked active for at least `graceS` seconds (taken by some process, not finished). */
export async function activeJobs(db: Queryable, schema: string, queues: string[], graceS: number): Promise<ActiveJob[]> {
  return db.query<ActiveJob>(
    `SELECT id::text, name FROM ${quoteIdent(schema)}.job WHERE name = ANY($1) AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
    [queues, graceS],
  );
}

/** The queue a job id belongs to, if the job is still kept (in the queue or its archive). */
export async function queueOfJob(db: Queryable, schema: string, id: string): Promise<string | undefined> {
  const [row] = await db.query<{ name: string }>(
    `SELECT name FROM ${quoteIdent(schema)}.job WHERE id = $1 UNION ALL SELECT name FROM ${quoteIdent(schema)}.archive WHERE id = $1 LIMIT 1`,
    [id],
  );
  return row?.name;
}

const lockKey = (jobId: string) => `lifeline-job:${jobId}`;

/** A connection of its own holding the job's lock while it runs; it goes (and the lock with it) when the process dies. */
export async function holdJobLock(db: Db, jobId: string): Promise<() => Promise<void>> {
  if (!db.pool) return async () => {};
  const client = new pg.Client(db.pool.options as pg.ClientConfig);
  await client.connect();
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey(jobId)]);
  return async () => {
    await client.end().catch(() => undefined);
  };
}

/** Whether no live session holds the job's lock (its runner is gone); always true on PGlite, a single process. */
export async function jobLockIsFree(db: Db, jobId: string): Promise<boolean> {
  if (!db.pool) return true;
  const client = await db.pool.connect();
  try {
    const [row] = (await client.query<{ free: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS free', [lockKey(jobId)])).rows;
    if (row?.free) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(jobId)]);
    return Boolean(row?.free);
  } finally {
    client.release();
  }
}
