// Grouped transactions: a door to the database whose transactions, opened by concurrent requests, are run
// together in one real transaction and one commit (group commit: http/group-commit.ts bounds the queue and
// refuses with 503 what would wait too long). Each request's transaction runs with its own settings (who asks,
// through which request: its audit rows carry them), sent before its first statement, and its own work at first
// commit (its Idempotency-Key claim marked applied). What they leave for the batch's end (lastIn) runs once for
// all of them: one statement for the batch, not one each. Should one fail, the batch is written again with each
// in a savepoint of its own, so that one is rolled back and refused alone while its neighbours commit. Should the
// shared commit itself fail (or the batch's end), each is run again in a transaction of its own. Services are
// handed this door instead of the database and see no difference.
import { AsyncLocalStorage } from 'node:async_hooks';
import { atBatchEnd, atFirstCommit, clearTransactionSettings, setTransactionSettings, transactionSettings, type AtEnd, type Db, type Tx } from './database.ts';
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

/**
 * One batch written at a time, on PostgreSQL too: those who come meanwhile go together in the next, so a burst
 * costs fewer statements (four batches at once cut them into small ones: a third more statements, and each
 * costs the server more CPU than the request's own work).
 */
export const defaultGroupLimits: GroupCommitLimits = {
  maxBatch: 200,
  lingerMs: 2,
  maxQueued: 4000,
  maxWaitMs: 1000,
  concurrency: 1,
};

/** The database, its transactions (and statements that carry settings) grouped with those of concurrent requests. */
export function grouped(db: Db, limits: GroupCommitLimits = defaultGroupLimits): Db {
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

/**
 * One transaction for the batch; the outcomes in order. It is first written without savepoints (bad input is
 * refused at the edge, so a unit rarely fails: two statements less per unit); should a unit fail, that
 * transaction is rolled back and the batch written again, each unit in its savepoint.
 */
async function writeTogether(db: Db, units: Unit[]): Promise<Outcome[]> {
  // The batch is written in whatever request's context started it: it must carry none of that request's own.
  const outcomes = await transactionSettings.exit(() =>
    atFirstCommit.exit(async () => {
      const plain = await together(db, units, false);
      return plain === unitFailed ? together(db, units, true) : plain;
    }),
  );
  if (Array.isArray(outcomes)) {
    for (const [i, unit] of units.entries()) if (outcomes[i]!.ok && unit.firstCommit) unit.firstCommit.work = undefined;
    return outcomes;
  }
  // The shared commit failed (not one unit: those were rolled back to their savepoints): each alone.
  return Promise.all(units.map((unit) => alone(db, unit)));
}

/** Written without savepoints, a unit failed: nothing of the batch was kept. */
const unitFailed = Symbol('a unit failed');

/** The batch in one transaction, each unit in a savepoint or not; undefined when the commit failed. */
async function together(db: Db, units: Unit[], savepoints: boolean): Promise<Outcome[] | typeof unitFailed | undefined> {
  const failed = new Error('a unit failed');
  return db
    .transaction(async (tx) => {
      const done: Outcome[] = [];
      const names = new Set<string>();
      const atEnd: AtEnd[] = [];
      for (const unit of units) {
        const mine = unitTx(tx, unit, names);
        // What a unit leaves for the batch's end is kept only if the unit is.
        const left = { tx: mine, works: [] as AtEnd[] };
        const outcome = await atBatchEnd.run(left, () =>
          savepoints || unit.statement
            ? inSavepoint(tx, mine, unit)
            : run(mine, unit).catch(() => {
                throw failed;
              }),
        );
        if (outcome.ok) atEnd.push(...left.works);
        done.push(outcome);
      }
      // The batch's end is no request's (what it writes on requests' behalf carries their contexts: audit_requests).
      if (atEnd.length > 0) await clearTransactionSettings(tx, names);
      await runTogether(tx, atEnd);
      return done;
    })
    .catch((error: unknown) => (error === failed ? unitFailed : undefined));
}

/**
 * What the units left for the batch's end: each `all` once with its items in the units' order, in the order each
 * was first left, the final ones last.
 */
async function runTogether(tx: Tx, works: AtEnd[]): Promise<void> {
  const items = new Map<AtEnd['all'], unknown[]>();
  for (const { all, item } of [...works.filter((w) => !w.final), ...works.filter((w) => w.final)]) {
    const list = items.get(all);
    if (list) list.push(item);
    else items.set(all, [item]);
  }
  // Seen as the batch's (its `whole`), so that what is read once per batch (readOncePerBatch) is read once here too.
  const batch: Tx & { whole: Tx } = { whole: tx, query: (sql, params) => tx.query(sql, params) };
  for (const [all, list] of items) await all(batch, list);
}

/**
 * The shared transaction as one unit sees it: the unit's settings (and none left over from the one before) are
 * set before its first statement, so a unit that only leaves work for the batch's end sends none.
 */
function unitTx(tx: Tx, unit: Unit, names: Set<string>): Tx & { whole: Tx } {
  let settings: Promise<void> | undefined;
  return {
    whole: tx,
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      settings ??= settingsOf(tx, unit, names);
      await settings;
      return tx.query<T>(sql, params);
    },
  };
}

async function settingsOf(tx: Tx, unit: Unit, names: Set<string>): Promise<void> {
  for (const name of Object.keys(unit.settings ?? {})) names.add(name);
  await setTransactionSettings(tx, Object.fromEntries([...names].map((name) => [name, unit.settings?.[name] ?? ''])));
}

/** The unit in a savepoint of the shared transaction `tx` (one statement needs none: should it fail, the batch is run again). */
async function inSavepoint(tx: Tx, mine: Tx, unit: Unit): Promise<Outcome> {
  if (unit.statement) return { ok: true, value: await unit.fn(mine) };
  await tx.query('SAVEPOINT grouped');
  try {
    const outcome = await run(mine, unit);
    await tx.query('RELEASE SAVEPOINT grouped');
    return outcome;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT grouped');
    await tx.query('RELEASE SAVEPOINT grouped');
    return { ok: false, error };
  }
}

/** The unit's work in the shared transaction (as the unit sees it), with its work at first commit. */
async function run(mine: Tx, unit: Unit): Promise<Outcome> {
  const value = await inContext(unit, () => runningIn.run(mine, () => unit.fn(mine)));
  const work = unit.firstCommit?.work;
  if (work) await inContext(unit, () => runningIn.run(mine, () => work(mine)));
  return { ok: true, value };
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
