// Applies the SQL migrations in server/db/migrations in name order, each once, each in one transaction;
// then re-attaches the audit trigger (016_audit_log.sql) so that every table they made or changed is audited.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './database.ts';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  const pending = readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql') && !applied.has(f))
    .sort();
  for (const name of pending) {
    const sql = readFileSync(migrationsDir + name, 'utf8');
    await db.exec(`BEGIN;\n${sql}\nINSERT INTO schema_migrations (name) VALUES ('${name}');\nCOMMIT;`);
  }
  if (pending.length > 0) await db.exec(`DO $$ BEGIN IF to_regproc('audit_attach') IS NOT NULL THEN PERFORM audit_attach(); END IF; END $$`);
  return pending;
}
