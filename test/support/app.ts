// A real Lifeline app on a fresh real database for integration tests: PGlite always, and a
// PostgreSQL server (a fresh schema per app) when TEST_DATABASE_URL is set.
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { createApp } from '../../server/app.ts';
import { openPglite, openPostgres, type Db } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createUser } from '../../server/auth/auth.service.ts';
import { roles, type Role } from '../../server/auth/auth.schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** The back-ends every integration suite runs against. */
export const databaseKinds: DatabaseKind[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];

export async function openTestDatabase(kind: DatabaseKind): Promise<Db & { drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return Object.assign(db, { drop: () => db.close() });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openPostgres(url, { schema, maxConnections: 20 });
  await migrate(db);
  return Object.assign(db, {
    drop: async () => {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  });
}

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: Express;
  db: Db;
  /** A bearer token for a user of each role (one user per role, created at start). */
  tokens: Record<Role, string>;
  userIds: Record<Role, number>;
  api: ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startTestApp(kind: DatabaseKind): Promise<TestApp> {
  const db = await openTestDatabase(kind);
  const app = createApp({ db });
  const api = request(app);
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, number>;
  for (const role of roles) {
    const user = await createUser(db, { email: `${role}@test.local`, name: `Test ${role}`, role, password: PASSWORD });
    userIds[role] = user.id;
    const res = await api.post('/api/auth/login').send({ email: user.email, password: PASSWORD });
    tokens[role] = res.body.token;
  }
  return { app, db, tokens, userIds, api, close: () => db.drop() };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
