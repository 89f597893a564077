// A real Lifeline app on a fresh real database for integration tests: PGlite always, and a
// PostgreSQL server (a fresh schema per app) when TEST_DATABASE_URL is set.
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { LiveGateway } from '../../server/live/gateway.ts';
import type { Outbox } from '../../server/live/outbox.ts';
import { RoadMap } from '../../server/network/network.service.ts';
import { createApp, createLive } from '../../server/app.ts';
import { JobQueue, type JobOptions } from '../../server/jobs/jobs.service.ts';
import { openPglite, openPostgres, type Db } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createUser } from '../../server/auth/auth.service.ts';
import { roles, type Role } from '../../server/auth/roles.ts';
import { seedIfEmpty } from '../../seeds/load.ts';

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
    schema,
    drop: async () => {
      await dropping(() => db.query(`DROP SCHEMA IF EXISTS ${jobsSchemaOf(db)} CASCADE`));
      await dropping(() => db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      await db.close();
    },
  });
}

/**
 * Drops a test's schema, again if the server chose it as a deadlock's victim: test files run side by side on
 * one server, and a schema's cascade locks many catalog rows at once (seen once in CI, tearing down).
 */
async function dropping(drop: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await drop();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 3) throw error;
    }
  }
}

/** Where a test database's job queue keeps its tables: beside the test's own schema on a shared server. */
export function jobsSchemaOf(db: Db): string {
  const schema = (db as Db & { schema?: string }).schema;
  return schema ? `${schema}_jobs` : 'pgboss';
}

/** A job queue on a test database (`process: false` for a node that leaves its jobs to others). */
export const testJobs = (db: Db, options: Partial<JobOptions> = {}) => new JobQueue(db, { schema: jobsSchemaOf(db), pollMs: 200, ...options });

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: Express;
  db: Db;
  outbox: Outbox;
  live: LiveGateway;
  /** The app's solve jobs, run in this process. */
  jobs: JobQueue;
  /** A bearer token for a user of each role (one user per role, created at start). */
  tokens: Record<Role, string>;
  userIds: Record<Role, number>;
  api: ReturnType<typeof request>;
  /** Serves the app with live sockets on a real port; returns its base URL. */
  listen(options?: { port?: number; channel?: string }): Promise<string>;
  /** Stops the HTTP and socket server as a crash would, then starts a fresh app on the same database and port. */
  restart(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(kind: DatabaseKind, existing?: Db & { drop(): Promise<void> }, jobOptions: Partial<JobOptions> = {}): Promise<TestApp> {
  const db = existing ?? (await openTestDatabase(kind));
  const { outbox, live } = createLive(db);
  const roads = new RoadMap(db);
  const jobs = testJobs(db, jobOptions);
  const app = createApp({ db, outbox, live, roads, jobs });
  const api = request(app);
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, number>;
  for (const role of roles) {
    const user = await createUser(db, { email: `${role}@test.local`, name: `Test ${role}`, role, password: PASSWORD });
    userIds[role] = user.id;
    const res = await api.post('/api/auth/login').send({ email: user.email, password: PASSWORD });
    tokens[role] = res.body.token;
  }
  const t: TestApp = {
    app,
    db,
    outbox,
    live,
    jobs,
    tokens,
    userIds,
    api,
    listen: async (options = {}) => {
      server = createServer(t.app);
      // Each test app gets its own adapter channel: test files share one PostgreSQL database.
      channel = options.channel ?? channel ?? `test-${randomBytes(4).toString('hex')}`;
      await t.live.attach(server, { channel });
      await new Promise<void>((resolve) => server!.listen(options.port ?? 0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    restart: async () => {
      const port = (server!.address() as AddressInfo).port;
      await stopServer();
      await t.jobs.stop();
      ({ outbox: t.outbox, live: t.live } = createLive(db));
      t.jobs = testJobs(db, jobOptions);
      t.app = createApp({ db, outbox: t.outbox, live: t.live, roads, jobs: t.jobs });
      t.api = request(t.app);
      return t.listen({ port, channel });
    },
    close: async () => {
      await t.jobs.stop();
      await stopServer();
      await db.drop();
    },
  };
  let server: Server | undefined;
  let channel: string | undefined;
  const stopServer = async () => {
    if (!server) return;
    server.closeAllConnections();
    await t.live.close();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  };
  return t;
}

/** A second server node on the same database (as a second process behind a load balancer would be). */
export async function startSecondNode(t: TestApp, channel: string): Promise<{ url: string; outbox: Outbox; live: LiveGateway; close(): Promise<void> }> {
  const { outbox, live } = createLive(t.db);
  // Its solves run on the first node, as on a node started with LIFELINE_JOBS=off.
  const jobs = testJobs(t.db, { process: false });
  const server = createServer(createApp({ db: t.db, outbox, live, roads: new RoadMap(t.db), jobs }));
  await live.attach(server, { channel });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    outbox,
    live,
    close: async () => {
      await jobs.stop();
      server.closeAllConnections();
      await live.close();
    },
  };
}

/** The URL of this test database for a separate server process (its schema set through the connection options). */
export function databaseUrlOf(t: { db: Db }): string {
  const schema = (t.db as Db & { schema?: string }).schema;
  return `${process.env.TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** A real app on the seeded demo scenario (Monaco), signed in as the demo users you name. */
export async function startDemoApp(kind: DatabaseKind, emails: string[]): Promise<Omit<TestApp, 'tokens' | 'userIds'> & { tokens: Record<string, string>; userIds: Record<string, number> }> {
  const db = await openTestDatabase(kind);
  await seedIfEmpty(db, 'lifeline-demo');
  const t = await startTestApp(kind, db);
  const tokens: Record<string, string> = {};
  const userIds: Record<string, number> = {};
  for (const email of emails) {
    const res = await t.api.post('/api/auth/login').send({ email, password: 'lifeline-demo' });
    tokens[email] = res.body.token;
    userIds[email] = (await db.query<{ id: number }>('SELECT id FROM users WHERE email = $1', [email]))[0]!.id;
  }
  return { ...t, tokens, userIds };
}

/** A TCP port free right now, for a server process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Runs `work` while `tables` are held (EXCLUSIVE: reads go on, writes wait) for `ms` on the PostgreSQL server: the
 * writes it sends pile up as in a burst, so a test that they are written together does not hang on the machine's
 * timing (on a loaded machine, concurrent requests arrived one after another's batch was written, each alone).
 * PGlite has one connection: holding it would hold every read too and let the requests through one by one.
 */
export async function whileTablesHeld<T>(db: Db, tables: string[], ms: number, work: () => Promise<T>): Promise<T> {
  if (db.kind !== 'postgres') return work();
  let taken!: () => void;
  const locked = new Promise<void>((resolve) => (taken = resolve));
  const held = db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`);
    taken();
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
  // The hold's own failure (a lock refused) ends the wait instead of leaving it hanging.
  await Promise.race([locked, held]);
  const result = await work();
  await held;
  return result;
}
