// The planner's statistics, refreshed by hand: PGlite runs no autovacuum, so after a bulk load (a district
// seed, a large import) every estimate stays at the empty tables' and joins fall back to nested loops.
import type { Db } from './database.ts';

/** ANALYZE every table (a second or two at district scale; PostgreSQL servers do it themselves too). */
export const refreshStatistics = (db: Db) => db.exec('ANALYZE');
