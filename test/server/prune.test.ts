import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { databaseKinds, openTestDatabase } from '../support/app.ts';
import { pruneOnce, startPruning } from '../../server/prune.ts';
import { plannedRows } from '../../server/db/statistics.ts';
import { RETRY_WINDOW_H } from '../../server/http/idempotency.ts';
import type { Db } from '../../server/db/database.ts';

describe.each(databaseKinds)('pruning on %s', (kind) => {
  let db: Db & { drop(): Promise<void> };
  let userId: number;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    [{ id: userId }] = (await db.query<{ id: number }>(`INSERT INTO users (email, name, role, password_hash) VALUES ('p@test.local', 'P', 'driver', 'x') RETURNING id`)) as [{ id: number }];
  });
  afterAll(() => db.drop());

  const session = (name: string, expiresIn: string) =>
    db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + $3::interval)`, [name, userId, expiresIn]);
  /** A reply first claimed `createdAgo` and last attempted `claimedAgo` ago. */
  const reply = (key: string, createdAgo: string, claimedAgo: string) =>
    db.query(
      `INSERT INTO idempotent_replies (user_id, key, request_hash, status, body, created_at, claimed_at, applied)
       VALUES ($1, $2, 'h', 201, '{}', now() - $3::interval, now() - $4::interval, true)`,
      [userId, key, createdAgo, claimedAgo],
    );
  const attempts = (key: string, expireInMs: number) => db.query('INSERT INTO login_attempts (key, points, expire) VALUES ($1, 3, $2)', [key, Date.now() + expireInMs]);
  const keys = async (sql: string) => (await db.query<{ k: string }>(sql)).map((r) => r.k).sort();

  it('deletes expired sessions, replies past the retry window and ended login counts at start, and keeps fresh ones', async () => {
    await session('expired', '-1 minute');
    await session('live', '1 hour');
    await reply('old', `${RETRY_WINDOW_H + 1} hours`, `${RETRY_WINDOW_H + 1} hours`);
    await reply('fresh', '1 hour', '1 hour');
    await reply('taken-over', `${RETRY_WINDOW_H + 5} hours`, '1 minute'); // a retry took its claim over a minute ago
    await reply('almost', `${RETRY_WINDOW_H - 1} hours`, `${RETRY_WINDOW_H - 1} hours`);
    await attempts('account:ended@test.local', -1000);
    await attempts('account:counting@test.local', 60_000);

    const pruner = startPruning(db);
    await pruner.first;
    await pruner.stop();

    expect(await keys('SELECT token_hash AS k FROM sessions')).toEqual(['live']);
    expect(await keys('SELECT key AS k FROM idempotent_replies')).toEqual(['almost', 'fresh', 'taken-over']);
    expect(await keys('SELECT key AS k FROM login_attempts')).toEqual(['account:counting@test.local']);
  });

  it('refreshes the planner statistics on PGlite, which runs no autovacuum (a server does it itself)', async () => {
    await db.query(`INSERT INTO login_attempts (key, points, expire) SELECT 'stats-' || i, 1, $1 FROM generate_series(1, 500) AS i`, [Date.now() + 60_000]);
    const pruned = await pruneOnce(db);
    if (kind === 'pglite') {
      expect(pruned.analysedTables).toBeGreaterThan(10);
      expect(await plannedRows(db, 'login_attempts')).toBeGreaterThanOrEqual(500);
    } else {
      expect(pruned.analysedTables).toBe(0);
    }
  });

  it('runs again at its interval, and not after it is stopped', async () => {
    const pruner = startPruning(db, 50);
    await pruner.first;
    await session('expires-soon', '-1 second');
    await new Promise((r) => setTimeout(r, 300));
    expect(await keys(`SELECT token_hash AS k FROM sessions WHERE token_hash = 'expires-soon'`)).toEqual([]);
    await pruner.stop();
    await session('after-stop', '-1 second');
    await new Promise((r) => setTimeout(r, 300));
    expect(await keys(`SELECT token_hash AS k FROM sessions WHERE token_hash = 'after-stop'`)).toEqual(['after-stop']);
  });
});

describe('the pruning timer', () => {
  it('does not keep the process alive', async () => {
    const script = `
      import { openPglite } from './server/db/database.ts';
      import { migrate } from './server/db/migrate.ts';
      import { startPruning } from './server/prune.ts';
      const db = await openPglite();
      await migrate(db);
      await startPruning(db).first;
      console.log('pruned');`;
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    const exited = await new Promise<number | null>((resolve) => {
      // Generous: starting tsx and PGlite on a loaded machine can take tens of seconds.
      const timer = setTimeout(() => (child.kill(), resolve(null)), 100_000);
      child.once('exit', (code) => (clearTimeout(timer), resolve(code)));
    });
    expect(out).toContain('pruned');
    expect(exited).toBe(0);
  }, 120_000);
});
