// Drops what is kept only for a while: expired sessions, idempotent replies past their retry window,
// login counts whose window has ended and the audit trigger's request notes; and folds the ledgers of needs (the map's by cell, the dashboard's tally, the need sheet's counts, the times to delivery) into one row a group; and, on PGlite, refreshes the planner's statistics. Runs at start and then hourly on each node (the DELETEs are idempotent).
import type { Db } from './db/database.ts';
import { deleteExpiredSessions } from './auth/auth.repo.ts';
import { pruneLoginAttempts } from './auth/login-throttle.ts';
import { pruneReplies } from './http/idempotency.ts';
import { foldNeedCells } from './needs/need-map.repo.ts';
import { foldNeedTallies } from './needs/needs.repo.ts';
import { foldDeliveryTimes } from './dispatch/stops.repo.ts';
import { deleteRequestNotesOlderThan } from './audit/audit.repo.ts';
import { refreshStatisticsGently } from './db/statistics.ts';

const HOUR_MS = 3_600_000;

export interface Pruned {
  sessions: number;
  idempotentReplies: number;
  loginAttempts: number;
  /** The audit trigger's request notes (audit_requests), kept an hour. */
  auditRequestNotes: number;
  /** The map's ledger rows left after folding. */
  needMapCells: number;
  /** The rows left after folding in the dashboard's need tally and the need sheet's counts. */
  needTallies: { tally: number; counts: number };
  /** The rows left after folding in the ledger of delivery times. */
  deliveryTimes: number;
  /** Tables whose planner statistics were refreshed (PGlite only: it runs no autovacuum). */
  analysedTables: number;
}

/** One run; `analyse` false leaves the planner's statistics alone (the start's run: main.ts has just refreshed them). */
export async function pruneOnce(db: Db, analyse = true): Promise<Pruned> {
  return {
    sessions: await deleteExpiredSessions(db),
    idempotentReplies: await pruneReplies(db),
    loginAttempts: await pruneLoginAttempts(db),
    auditRequestNotes: await deleteRequestNotesOlderThan(db, 1),
    needMapCells: await foldNeedCells(db),
    needTallies: await foldNeedTallies(db),
    deliveryTimes: await foldDeliveryTimes(db),
    analysedTables: analyse ? await refreshStatisticsGently(db) : 0,
  };
}

export interface Pruner {
  /** The run made at start. */
  first: Promise<void>;
  /** Stops the timer; resolves once a run in progress has ended (before the database is closed). */
  stop(): Promise<void>;
}

/** Prunes now (the planner's statistics aside: main.ts refreshes them at start) and every `everyMs`; the timer does not keep the process alive. */
export function startPruning(db: Db, everyMs = HOUR_MS): Pruner {
  const run = (analyse = true) => pruneOnce(db, analyse).then(
    () => undefined,
    (error: Error) => console.error('pruning failed:', error.message),
  );
  const first = run(false);
  let running = first;
  const timer = setInterval(() => (running = run()), everyMs).unref();
  return {
    first,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
