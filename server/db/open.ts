// Opens the configured database (a PostgreSQL server when DATABASE_URL is set, else PGlite under
// DATA_DIR) and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, type Db } from './database.ts';
import { migrate } from './migrate.ts';

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  let db: Db;
  if (config.databaseUrl) {
    db = await openPostgres(config.databaseUrl);
  } else {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    db = await openPglite(dir);
  }
  await migrate(db);
  return db;
}
