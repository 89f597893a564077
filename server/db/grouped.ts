// Grouped transactions: a door to the database whose transactions, opened by concurrent requests, are run
// together in one real transaction and one commit (group commit: http/group-commit.ts bounds the queue and
// refuses with 503 what would wait too long). Each request's transaction runs in a savepoint of its own,
// with its own settings (who asks, through which request: its audit rows carry them) and its own work at
// first commit (its Idempotency-Key claim marked applied), so a failing one is rolled back alone and
// refused alone while its neighbours commit. Should the shared commit itself fail, each is run again in a
// transaction of its own. Services are handed this door instead of the database and see no difference.
import { AsyncLocalStorage } from 'node:async_hooks';
import { atFirstCommit, setTransactionSettings, transactionSettings, type Db, type Tx } from './database.ts';
import { GroupCommit, type GroupCommitLimits } from '../http/group-commit.ts';

interface Unit {
  fn: (tx: Tx) => Promise<unknown>;
  /** One statement (no savepoint: should it fail, the batch is run again, each alone). */
  statement?: boolean;
  settings: Record<string, string> | undefined;
  firstCommit: { work?: (tx: Tx) => Promise<void> } | undefined;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The shared transaction a grouped request runs in (a transaction it opens inside joins it). */
const runningIn = new AsyncLocalStorage<Tx>();

export const defaultGroupLimits = (db: Db): GroupCommitLimits => ({
  maxBatch: 200,
  lingerMs: 2,
  maxQueued: 4000,
  maxWaitMs: 1000,
  concurrency: db.kind === 'pglite' ? 1 : 4,
});

/** The database, its transactions (and statements that carry settings) grouped with those of concurrent requests. */
export function grouped(db: Db, limits: GroupCommitLimits = defaultGroupLimits(db)): Db {
  const group = new GroupCommit<Unit, Outcome>((units) => writeTogether(db, units), limits);
  const transaction = async <T>(fn: (tx: Tx) => Promise<T>, statement = false): Promise<T> => {
    const inside = runningIn.getStore();
    if (inside) return fn(inside);
    const outcome = await group.submit({ fn, statement, settings: transactionSettings.getStore(), firstCommit: atFirstCommit.getStore() });
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  };
  return {
    kind: db.kind,
    pool: db.pool,
    query: <T>(sql: string, params?: unknown[]) => {
      const inside = runningIn.getStore();
      if (inside) return inside.query<T>(sql, params);
      // A statement without settings needs no transaction (nor a batch): a plain read.
      return transactionSettings.getStore() ? transaction((tx) => tx.query<T>(sql, params), true) : db.query<T>(sql, params);
    },
    transaction: (fn) => transaction(fn),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

/** One transaction for the batch, each unit in its savepoint; the outcomes in order. */
async function writeTogether(db: Db, units: Unit[]): Promise<Outcome[]> {
  // The batch is written in whatever request's context started it: it must carry none of that request's own.
  const outcomes = await transactionSettings.exit(() =>
    atFirstCommit.exit(() =>
      db
        .transaction(async (tx) => {
          const done: Outcome[] = [];
          const names = new Set<string>();
          for (const unit of units) done.push(await inSavepoint(tx, unit, names));
          return done;
        })
        .catch(() => undefined),
    ),
  );
  if (outcomes) {
    for (const [i, unit] of units.entries()) if (outcomes[i]!.ok && unit.firstCommit) unit.firstCommit.work = undefined;
    return outcomes;
  }
  // The shared commit failed (not one unit: those were rolled back to their savepoints): each alone.
  return Promise.all(units.map((unit) => alone(db, unit)));
}

/** This unit's settings, and none left over from the one before. */
async function settingsOf(tx: Tx, unit: Unit, names: Set<string>): Promise<void> {
  for (const name of Object.keys(unit.settings ?? {})) names.add(name);
  await setTransactionSettings(tx, Object.fromEntries([...names].map((name) => [name, unit.settings?.[name] ?? ''])));
}

async function inSavepoint(tx: Tx, unit: Unit, names: Set<string>): Promise<Outcome> {
  if (unit.statement) {
    await settingsOf(tx, unit, names);
    return { ok: true, value: await unit.fn(tx) };
  }
  await tx.query('SAVEPOINT grouped');
  try {
    await settingsOf(tx, unit, names);
    const value = await inContext(unit, () => runningIn.run(tx, () => unit.fn(tx)));
    const work = unit.firstCommit?.work;
    if (work) await inContext(unit, () => runningIn.run(tx, () => work(tx)));
    await tx.query('RELEASE SAVEPOINT grouped');
    return { ok: true, value };
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT grouped');
    await tx.query('RELEASE SAVEPOINT grouped');
    return { ok: false, error };
  }
}

/** Runs `fn` in the unit's own request context (its settings, its work at first commit). */
const inContext = <T>(unit: Unit, fn: () => Promise<T>): Promise<T> =>
  transactionSettings.run(unit.settings as Record<string, string>, () => atFirstCommit.run(unit.firstCommit as { work?: (tx: Tx) => Promise<void> }, fn));

async function alone(db: Db, unit: Unit): Promise<Outcome> {
  try {
    return { ok: true, value: await inContext(unit, () => db.transaction((tx) => runningIn.run(tx, () => unit.fn(tx)))) };
  } catch (error) {
    return { ok: false, error };
  }
}
