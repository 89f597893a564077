// The server process of the rush and intake benchmarks (a separate process, so that it can be killed -9 mid-burst and
// so that the load generator does not share its event loop): the Lifeline app on the database named, or
// (--bare) a bare Express handler that parses the same JSON and answers at once, the ceiling to compare with.
// Usage: node --import tsx bench/server.ts (--data-dir DIR | --database-url URL | --bare) [--port N]
// Prints `listening <port>` once it serves.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { openDatabase } from '../server/db/open.ts';
import { createApp, createLive } from '../server/app.ts';
import { RoadMap } from '../server/network/network.service.ts';
import { KnownSessions } from '../server/auth/auth.service.ts';
import { LISTEN_BACKLOG, serverBehindDoor } from '../server/http/door.ts';
import { readConfig } from '../server/config.ts';
import { keepStatistics } from '../server/db/statistics.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const sessions = new KnownSessions();
// BENCH_PROF=dir (bench/server-process.ts passes --cpu-prof): the profile is written at exit, so a stop is an exit.
if (process.env.BENCH_PROF) process.on('SIGTERM', () => process.exit(0));

async function lifeline() {
  const db = await openDatabase({ dataDir: option('data-dir') ?? '', databaseUrl: option('database-url') });
  // As `npm start` (server/main.ts): a burst grows tables from nothing, and the planner must follow.
  keepStatistics(db);
  // Clients arrive through a local proxy that names them in X-Forwarded-For (as behind a load balancer).
  return createApp({ db, ...createLive(db), roads: new RoadMap(db), trustProxy: 'loopback', sessions });
}

function bare() {
  const app = express();
  app.use(express.json());
  app.post('/api/campaigns/:id/requests', (req, res) => {
    res.status(201).json({ receipt: String(req.body.code).slice(0, 16), quantity: req.body.quantity, status: 'entered' });
  });
  return app;
}

const bareCeiling = args.includes('--bare');
const app = bareCeiling ? bare() : await lifeline();
// A request tagged x-bench-request is told when it reached the server (epoch ms, sub-millisecond), so that the
// intake bench can tell the time to reach the server from the time to be served.
const tagged: RequestListener = (req, res) => {
  if (req.headers['x-bench-request']) res.setHeader('x-bench-arrived', String(performance.timeOrigin + performance.now()));
  void app(req, res);
};
// Lifeline behind its door, as `npm start` serves it (server/main.ts); the ceiling without.
const server = bareCeiling ? createServer(tagged) : serverBehindDoor(tagged, readConfig().door, (req) => sessions.isStaff(req));
server.listen({ port: Number(option('port') ?? 0), host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
