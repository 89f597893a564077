// The planner's statistics, refreshed by hand: PGlite runs no autovacuum, so after a bulk load (a district
// seed, a large import) every estimate stays at the empty tables' and joins fall back to nested loops.
// Worse, PGlite is one session for the server's life: a plan it cached while a table was small (a foreign
// key's check, a repo's statement) scans that table whole on every use once it is large, until ANALYZE
// invalidates it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { quoteIdent, type Db } from './database.ts';

/** ANALYZE these tables, or every table (a second or two at district scale; PostgreSQL servers do it themselves too). */
export const refreshStatistics = (db: Db, tables?: readonly string[]) => db.exec(tables ? `ANALYZE ${tables.map(quoteIdent).join(', ')}` : 'ANALYZE');

/**
 * On PGlite, every table of the schema analysed one at a time, letting others in between (each holds PGlite for
 * ~0.1 s at district scale): the pruner runs it hourly, since a day's changes (needs fulfilled, stops delivered)
 * skew estimates that no bulk load refreshes (a need sheet's page took 350–680 ms at 200,000 households with
 * the open needs believed few, 57–107 ms after ANALYZE). A PostgreSQL server's autovacuum does this itself:
 * nothing to do there. How many tables were analysed.
 */
export async function refreshStatisticsGently(db: Db): Promise<number> {
  if (db.kind !== 'pglite') return 0;
  const tables = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`);
  for (const { name } of tables) {
    await refreshStatistics(db, [name]);
    await nextTurn();
  }
  return tables.length;
}

/** Below this many pages a table is read whole faster than through an index: no plan goes wrong for its size. */
const GROWN_MIN_PAGES = 4;

/**
 * Tables of the schema at least GROWN_MIN_PAGES long that have doubled in pages since the planner last counted
 * them, analysed one at a time (by pages, which PGlite tracks too: its statistics on changed rows stay at zero).
 * A burst of creates on a fresh database grows tables from nothing in seconds, while plans cached when they were
 * near empty (a foreign key's check of a row just written) go on scanning them whole: measured on PostgreSQL, a
 * batch of 60 pledges into ~5,000 took 18–28 ms against 8–11 ms once `donations` was analysed.
 * The tables analysed.
 */
export async function analyseGrown(db: Db): Promise<string[]> {
  const grown = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r'
       AND pg_relation_size(c.oid) >= current_setting('block_size')::int * greatest(2 * c.relpages, $1::int)
     ORDER BY c.relname`,
    [GROWN_MIN_PAGES],
  );
  for (const { name } of grown) {
    await refreshStatistics(db, [name]);
    await nextTurn();
  }
  return grown.map((g) => g.name);
}

/**
 * Checks every `everyMs` for tables grown enough to mislead the planner (analyseGrown): each node, on PGlite
 * (no autovacuum) and on a PostgreSQL server (whose autovacuum looks once a minute, after a rush's first minute).
 * The timer does not keep the process alive; `stop` waits for a check under way.
 */
export function keepStatistics(db: Db, everyMs = 2000): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  // A tick that finds a check still under way (a large table's ANALYZE) is skipped, not queued behind it.
  const timer = setInterval(() => {
    running ??= analyseGrown(db)
      .catch((error: Error) => console.error('refreshing planner statistics failed:', error.message))
      .finally(() => (running = undefined));
  }, everyMs).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** How many rows the planner believes a table holds: its count at the last ANALYZE (0 when never analysed). */
export async function plannedRows(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ rows: number }>('SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = to_regclass($1)', [table]);
  return row?.rows ?? 0;
}

/**
 * For a bulk write into `tables` (the first one the yardstick): `wrote(rows)` after each batch refreshes their
 * statistics once the rows written since the planner last counted are as many as it counted (at least
 * `atLeast`), so a table growing from empty is analysed a few times (log₂ of its growth), a large one rarely.
 * One table at a time, letting others in between: each ANALYZE holds PGlite for ~0.1 s at district scale.
 */
export async function statisticsKeeper(db: Db, tables: readonly [string, ...string[]], atLeast: number): Promise<{ wrote(rows: number): Promise<void> }> {
  let counted = await plannedRows(db, tables[0]);
  let since = 0;
  return {
    async wrote(rows) {
      since += rows;
      if (since < Math.max(atLeast, counted)) return;
      for (const table of tables) {
        await refreshStatistics(db, [table]);
        await nextTurn();
      }
      counted = await plannedRows(db, tables[0]);
      since = 0;
    },
  };
}
