// Starts Lifeline: opens the database (PGlite under DATA_DIR, or DATABASE_URL), applies migrations,
// loads the demo on first start, serves the API, and closes the database cleanly on shutdown.
import { createServer } from 'node:http';
import { readConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { createApp } from './app.ts';
import { LiveHub } from './live/hub.ts';
import { RoadMap } from './network/network.service.ts';
import { failInterruptedPlans } from './plans/plans.service.ts';
import { seedIfEmpty } from '../seeds/load.ts';
import { startPruning } from './db/prune.ts';

const config = readConfig();
const db = await openDatabase(config);
if (config.seedDemo) {
  const seeded = await seedIfEmpty(db, config.demoPassword);
  if (seeded) console.log(`Loaded the demo scenario (Monaco) into the ${db.kind} database.`);
}
await failInterruptedPlans(db);
const pruner = startPruning(db);
const live = new LiveHub(db);
const app = createApp({ db, live, roads: new RoadMap(db, config.mapFile), timeZone: config.timeZone, loginLimits: config.loginLimits, trustProxy: config.trustProxy });
const server = createServer(app);
await live.attach(server, { channel: config.liveChannel, keepDays: config.liveKeepDays });
server.listen(config.port, config.host, async () => {
  const logins = await db.query<{ email: string; role: string }>(`SELECT email, role FROM users WHERE email LIKE '%@lifeline.local' ORDER BY id`);
  const url = `http://localhost:${config.port}/`;
  console.log(`\nLifeline is running at ${url}  (API under ${url}api, described at ${url}api/openapi.json)`);
  console.log(`Database: ${db.kind}${db.kind === 'pglite' ? ` in ${config.dataDir}` : ''}`);
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
  await live.close();
  server.close();
  server.closeAllConnections();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
