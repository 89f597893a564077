// Finds the accounts that still sign in with the demo's published password, which production refuses
// to start with (a seeded demo database, or an admin who kept the README's password).
import type { Db } from '../db/database.ts';
import { PUBLISHED_DEMO_PASSWORD } from '../config.ts';
import { verifyPassword } from './passwords.ts';
import { activePasswordHashes } from './auth.repo.ts';

export async function accountsWithPublishedPassword(db: Db): Promise<string[]> {
  const found: string[] = [];
  for (const user of await activePasswordHashes(db)) if (await verifyPassword(PUBLISHED_DEMO_PASSWORD, user.passwordHash)) found.push(user.email);
  return found;
}
