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
