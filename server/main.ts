// Starts Lifeline: opens the database (PGlite under DATA_DIR, or DATABASE_URL), applies migrations,
// loads the demo on first start (demo mode) or refuses demo accounts (production mode), serves the API,
// and closes the database cleanly on shutdown.
import type { AddressInfo } from 'node:net';
import { readConfig, type Config } from './config.ts';
import { accountsWithPublishedPassword } from './auth/demo-passwords.ts';
import { openDatabase } from './db/open.ts';
import { createApp, createLive } from './app.ts';
import { KnownSessions } from './auth/auth.service.ts';
import { LISTEN_BACKLOG, serverBehindDoor } from './http/door.ts';
import { JobQueue } from './jobs/jobs.service.ts';
import { RoadMap } from './network/network.service.ts';
import { seedIfEmpty } from '../seeds/load.ts';
import { startPruning } from './prune.ts';
import { keepStatistics, refreshStatistics } from './db/statistics.ts';

function cannotStart(reason: string): never {
  console.error(`Lifeline cannot start: ${reason}`);
  process.exit(1);
}

let config: Config;
try {
  config = readConfig();
} catch (error) {
  cannotStart((error as Error).message);
}
const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
if (config.mode === 'production') {
  const published = await accountsWithPublishedPassword(db);
  if (published.length) {
    await db.close();
    cannotStart(`in production mode, these accounts still have the demo's published password: ${published.join(', ')}. Use a fresh database (create the first admin with \`lifeline add-user --role admin\`), or deactivate them.`);
  }
}
if (config.seedDemo) {
  const seeded = await seedIfEmpty(db, config.demoPassword);
  if (seeded) console.log(`Loaded the demo scenario (Monaco) into the ${db.kind} database.`);
}
// A district seeded or imported since the last start is unknown to PGlite's planner until analysed.
await refreshStatistics(db);
const pruner = startPruning(db);
const statistics = keepStatistics(db);
const { outbox, live } = createLive(db);
const jobs = new JobQueue(db, config.jobs);
const sessions = new KnownSessions();
const app = createApp({
  db,
  sessions,
  outbox,
  live,
  jobs,
  roads: new RoadMap(db, config.mapFile),
  timeZone: config.timeZone,
  tileUrl: config.tileUrl,
  loginLimits: config.loginLimits,
  overload: config.overload,
  trustProxy: config.trustProxy,
});
const server = serverBehindDoor(app, config.door, (req) => sessions.isStaff(req));
await live.attach(server, { channel: config.liveChannel, keepDays: config.liveKeepDays });
// Jobs a stopped process left are retried now (on PGlite, this is the only process that could run them).
await jobs.ready();
server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, async () => {
  const port = (server.address() as AddressInfo).port;
  const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}/`;
  console.log(`\nLifeline (${config.mode} mode) is running at ${url}  (API under ${url}api, described at ${url}api/openapi.json)`);
  console.log(`Database: ${db.kind}${db.kind === 'pglite' ? ` in ${config.dataDir}` : ''}`);
  if (!config.jobs.process) console.log('Plans and dispatches run on `lifeline worker` processes (LIFELINE_JOBS=off).');
  if (config.host === '127.0.0.1') console.log('Only this computer can reach it; set HOST=0.0.0.0 to serve the network.');
  if (config.mode === 'production') return;
  const logins = await db.query<{ email: string; role: string }>(`SELECT email, role FROM users WHERE email LIKE '%@lifeline.local' ORDER BY id`);
  if (logins.length) {
    console.log(`\nDemo logins (password: ${config.demoPassword}):`);
    for (const login of logins) console.log(`  ${login.role.padEnd(12)} ${login.email}`);
  }
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing…`);
  await pruner.stop();
  await statistics.stop();
  await jobs.stop();
  await live.close();
  server.close();
  server.closeAllConnections();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
