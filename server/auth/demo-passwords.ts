// Finds the accounts that still sign in with the demo's published password, which production refuses
// to start with (a seeded demo database, or an admin who kept the README's password).
import type { Db } from '../db/database.ts';
import { PUBLISHED_DEMO_PASSWORD } from '../config.ts';
import { verifyPassword } from './passwords.ts';

export async function accountsWithPublishedPassword(db: Db): Promise<string[]> {
  const users = await db.query<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE active ORDER BY id');
  const found: string[] = [];
  for (const user of users) if (await verifyPassword(PUBLISHED_DEMO_PASSWORD, user.password_hash)) found.push(user.email);
  return found;
}
