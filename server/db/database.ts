// One small database interface over two real PostgreSQL back-ends: PGlite in-process, on a worker thread
// (files under DATA_DIR, or in memory), and a PostgreSQL server through node-postgres. Services see only `Db`/`Tx`.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { startPgliteThread } from './pglite-thread.ts';
import { typeParsers } from './types.ts';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export type Tx = Queryable;

/**
 * A reader that reads each key once per grouped batch (db/grouped.ts: the shared transaction a batch's `tx`s
 * are part of), for what its requests all read and none of them changes; outside a batch, each time. `read` is
 * given the batch's transaction itself: a read needs no request's settings, which a request's turn would send.
 */
export function readOncePerBatch<V>(): (tx: Queryable, key: string, read: (on: Queryable) => Promise<V>) => Promise<V> {
  const byBatch = new WeakMap<Queryable, Map<string, V>>();
  return async (tx, key, read) => {
    const whole = (tx as { whole?: Tx }).whole;
    if (!whole) return read(tx);
    let known = byBatch.get(whole);
    if (!known) byBatch.set(whole, (known = new Map()));
    if (!known.has(key)) known.set(key, await read(whole));
    return known.get(key)!;
  };
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The connection pool of a PostgreSQL server (for LISTEN/NOTIFY users such as the Socket.IO adapter). */
  readonly pool?: pg.Pool;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Work for the first transaction that commits in an async context, inside it (an idempotent request marks
 * its claim there: see http/idempotency.ts). Taken by that transaction, so later ones skip it.
 */
export const atFirstCommit = new AsyncLocalStorage<{ work?: (tx: Tx) => Promise<void> }>();

/**
 * Work a grouped batch (db/grouped.ts) runs once all its requests' transactions have, just before its commit,
 * for all of them together: each `all` is called once with the items its transactions left (one statement for
 * the batch rather than one each). A statement that takes a lock held until commit (the outbox's event counter)
 * is deferred there, so that the lock is held for the commit only, not while the rest of the batch is written.
 * It runs as no request (the batch's requests' settings are cleared): it writes unaudited bookkeeping, or records
 * that name their requests themselves (audit_requests, migration 031). Outside a batch: undefined.
 */
export const atBatchEnd = new AsyncLocalStorage<{ tx: Tx; works: AtEnd[] }>();

/** What a transaction leaves for the end of its batch: its item, for `all`. */
export interface AtEnd<I = unknown> {
  all: (tx: Tx, items: I[]) => Promise<void>;
  item: I;
  /** Run after every other work of the batch's end, which may add to its items (the outbox's events). */
  final?: boolean;
}

/**
 * Runs `all` for `item` last in the transaction `tx`: at the end of its grouped batch (with its neighbours' items)
 * when it is one's, else now. A `final` work runs after the batch's other works.
 */
export async function lastIn<I>(tx: Tx, all: (tx: Tx, items: I[]) => Promise<void>, item: I, final = false): Promise<void> {
  const end = atBatchEnd.getStore();
  if (end?.tx === tx) end.works.push({ all, item, final } as AtEnd);
  else await all(tx, [item]);
}

/**
 * Settings of an async context (who is asking, through which request), set in each of its transactions
 * with set_config(…, true) so the database's triggers can read them (the audit log: 016_audit_log.sql).
 * A statement run outside a transaction in such a context runs in a transaction of its own, to carry them.
 */
export const transactionSettings = new AsyncLocalStorage<Record<string, string>>();

async function applySettings(tx: Tx): Promise<void> {
  await setTransactionSettings(tx, transactionSettings.getStore());
}

/** Sets these settings for the rest of the transaction (grouped.ts sets each grouped request's own in turn). */
export async function setTransactionSettings(tx: Tx, settings: Record<string, string> | undefined): Promise<void> {
  const names = Object.keys(settings ?? {});
  if (!settings || names.length === 0) return;
  await tx.query(`SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, names.flatMap((name) => [name, settings[name]]));
}

/**
 * Runs `fn` in `tx` as the request whose settings these are: work a grouped batch's end does on one request's
 * behalf (which runs as no request), its settings set for it and cleared after. Within that request's own
 * transaction, as is.
 */
export async function asRequest<T>(tx: Tx, settings: Record<string, string> | undefined, fn: () => Promise<T>): Promise<T> {
  if (!settings || transactionSettings.getStore() === settings) return fn();
  await setTransactionSettings(tx, settings);
  try {
    return await transactionSettings.run(settings, fn);
  } finally {
    await clearTransactionSettings(tx, Object.keys(settings));
  }
}

/** Clears these settings for the rest of the transaction (what follows runs as no request). */
export const clearTransactionSettings = (tx: Tx, names: Iterable<string>): Promise<void> =>
  setTransactionSettings(tx, Object.fromEntries([...names].map((name) => [name, ''])));

async function beforeCommit(tx: Tx): Promise<void> {
  const pending = atFirstCommit.getStore();
  const work = pending?.work;
  if (!work) return;
  pending.work = undefined;
  await work(tx);
}

/** The PostgreSQL error codes (SQLSTATE) the server gives a meaning to; named here once, for both back-ends. */
export const sqlState = {
  numericOutOfRange: '22003',
  checkViolation: '23514',
  restrictViolation: '23001',
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** Whether a database error carries that SQLSTATE. */
export const hasSqlState = (error: unknown, state: keyof typeof sqlState): boolean => (error as { code?: unknown } | null)?.code === sqlState[state];

/**
 * PGlite on its own thread: it runs each statement synchronously, which on the main thread would hold up
 * every other request (and the arrival of new ones) for as long as the statement runs.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const thread = await startPgliteThread(dataDir);
  const inTransaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const txId = await thread.call<number>({ op: 'begin' });
    const tx: Tx = { query: <R>(sql: string, params?: unknown[]) => thread.call<R[]>({ op: 'query', sql, params, txId }) };
    let result: T;
    try {
      await applySettings(tx);
      result = await fn(tx);
    } catch (error) {
      await thread.call({ op: 'rollback', txId }).catch(() => undefined);
      throw error;
    }
    await thread.call({ op: 'commit', txId });
    return result;
  };
  return {
    kind: 'pglite',
    query: <T>(sql: string, params?: unknown[]) =>
      transactionSettings.getStore() ? inTransaction((tx) => tx.query<T>(sql, params)) : thread.call<T[]>({ op: 'query', sql, params }),
    transaction<T>(fn: (tx: Tx) => Promise<T>) {
      return inTransaction(async (tx) => {
        const result = await fn(tx);
        await beforeCommit(tx);
        return result;
      });
    },
    async exec(sql: string) {
      await thread.call({ op: 'exec', sql });
    },
    close: () => thread.close(),
  };
}

/**
 * Statements a burst sends again and again (once per grouped batch: its idempotency claims, its records, its
 * events), sent by name to the PostgreSQL server: each connection parses and plans one once, then receives only
 * its parameters (its text, a few kB, is not sent again; after five runs the server keeps a generic plan).
 * Replayed batches, backend CPU: claims 0.70 → 0.40 ms a batch, answers 0.75 → 0.55, 32 need reports 10.0 → 9.1.
 * Only the statements marked `prepared` (their text fixed by their call site), and a bounded number of them:
 * each is kept by every connection of the pool. PGlite runs them as any other.
 */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 32;

/** Marks a statement's text as one to send by name (see preparedNames); returns it. */
export function prepared(sql: string): string {
  if (preparedNames.size < MAX_PREPARED && !preparedNames.has(sql)) preparedNames.set(sql, `lifeline_${preparedNames.size + 1}`);
  return sql;
}

/** What node-postgres is asked: a marked statement with parameters by its name. */
function statementOf(sql: string, params: unknown[] | undefined): pg.QueryConfig {
  const name = params ? preparedNames.get(sql) : undefined;
  return name ? { name, text: sql, values: params } : { text: sql, values: params };
}

export interface PostgresOptions {
  /** Confine every connection to one schema (tests use a fresh schema per suite). */
  schema?: string;
  maxConnections?: number;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const types = {
    getTypeParser: (oid: number, format?: string) => typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: types as pg.CustomTypesConfig,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  if (options.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
  }
  const inTransaction = async <T>(fn: (tx: Tx) => Promise<T>) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const tx: Tx = { query: async <R>(sql: string, params?: unknown[]) => (await client.query(statementOf(sql, params))).rows as R[] };
      await applySettings(tx);
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    pool,
    async query<T>(sql: string, params?: unknown[]) {
      if (transactionSettings.getStore()) return inTransaction((tx) => tx.query<T>(sql, params));
      return (await pool.query(statementOf(sql, params))).rows as T[];
    },
    transaction<T>(fn: (tx: Tx) => Promise<T>) {
      return inTransaction(async (tx) => {
        const result = await fn(tx);
        await beforeCommit(tx);
        return result;
      });
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Answers once the database does (the health check). */
export async function ping(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `"${name}"`;
}
