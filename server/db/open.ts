// Opens the configured database (a PostgreSQL server when DATABASE_URL is set, else PGlite under
// DATA_DIR) and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite, openPostgres, type Db } from './database.ts';
import { migrate } from './migrate.ts';

/** Where the records live: a PostgreSQL server's URL, else a folder for PGlite's files. */
export interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string;
}

export async function openDatabase(config: DatabaseLocation): Promise<Db> {
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
