import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite, type Tx } from '../../../server/db/database.ts';
import { startPgliteThread, type PgliteThread } from '../../../server/db/pglite-thread.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

/** How many times a 5 ms interval fired while `work` ran. */
async function intervalTicksDuring(work: Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('PGlite on its own thread', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite');
    await t.db.exec('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  afterAll(() => t.close());

  it('keeps the event loop turning while a long statement runs', async () => {
    expect(await intervalTicksDuring(t.db.query('SELECT pg_sleep(1.5)'))).toBeGreaterThan(10);
  });

  it('answers an HTTP request to the app while a long statement runs', async () => {
    await t.api.get('/api/openapi.json').expect(200);
    const finished: string[] = [];
    const sleeping = t.db.query('SELECT pg_sleep(2)').then(() => finished.push('statement'));
    await t.api.get('/api/openapi.json').expect(200);
    finished.push('request');
    await sleeping;
    expect(finished).toEqual(['request', 'statement']);
  });

  it('runs concurrent transactions one after another, never interleaving their statements', async () => {
    await t.db.query('DELETE FROM notes');
    const seen: Record<string, string[]> = {};
    const writer = (name: string, id: number) =>
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes VALUES ($1, $2)', [id, `${name}-1`]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await tx.query('INSERT INTO notes VALUES ($1, $2)', [id + 1, `${name}-2`]);
        seen[name] = (await tx.query<{ body: string }>('SELECT body FROM notes ORDER BY id')).map((n) => n.body);
      });
    await Promise.all([writer('a', 1), writer('b', 10), writer('c', 20)]);
    expect(seen).toEqual({ a: ['a-1', 'a-2'], b: ['a-1', 'a-2', 'b-1', 'b-2'], c: ['a-1', 'a-2', 'b-1', 'b-2', 'c-1', 'c-2'] });
  });

  it('refuses a statement of a transaction that has ended', async () => {
    let ended: Tx | undefined;
    await t.db.transaction(async (tx) => void (ended = tx));
    await expect(ended!.query('SELECT 1')).rejects.toThrow('Transaction is closed');
  });

  it('holds a statement outside a transaction until the transaction has ended', async () => {
    await t.db.query('DELETE FROM notes');
    let outside: Promise<{ n: number }[]> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO notes VALUES (1, 'inside')`);
      outside = t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.query(`INSERT INTO notes VALUES (2, 'inside')`);
    });
    expect(await outside).toEqual([{ n: 2 }]);
  });
});

describe('the PGlite thread', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-pglite-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps the records in its data folder across a close and a reopen', async () => {
    const dir = tempDir();
    const first = await openPglite(dir);
    await first.exec(`CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')`);
    await first.close();
    const second = await openPglite(dir);
    expect(await second.query('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
    await second.close();
  }, 180_000);

  it('fails a statement whose parameter cannot cross to the thread, goes on with the next, and refuses statements once closed', async () => {
    const db = await openPglite();
    await expect(db.query('SELECT $1::text AS v', [() => 'a function'])).rejects.toThrow();
    expect(await db.query('SELECT $1::text AS v', ['text'])).toEqual([{ v: 'text' }]);
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('the database is closed');
  });

  it('fails to open on a data folder that is a file, instead of waiting', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(openPglite(file)).rejects.toThrow();
  });
});

describe('the PGlite thread, spoken to directly', () => {
  let thread: PgliteThread;
  beforeAll(async () => {
    thread = await startPgliteThread();
  });
  afterAll(() => thread.close());

  it('refuses a statement sent after the commit of its transaction instead of leaving it waiting', async () => {
    const txId = await thread.call<number>({ op: 'begin' });
    const committed = thread.call({ op: 'commit', txId });
    const late = thread.call({ op: 'query', sql: 'SELECT 1', txId });
    await expect(late).rejects.toThrow('Transaction is closed');
    await committed;
    expect(await thread.call({ op: 'query', sql: 'SELECT 1 AS one' })).toEqual([{ one: 1 }]);
  });

  it('fails the statements under way and those after when the thread dies', async () => {
    const sleeping = thread.call({ op: 'query', sql: 'SELECT pg_sleep(5)' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await thread.worker.terminate();
    await expect(sleeping).rejects.toThrow('the PGlite worker stopped');
    await expect(thread.call({ op: 'query', sql: 'SELECT 1' })).rejects.toThrow('the PGlite worker stopped');
  });
});
