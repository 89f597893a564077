// Live push at scale: 1,000 and 5,000 driver sockets on loopback. Prints connect time, server memory
// per socket, the server's time to store an assignment to all of them and write it to every socket
// (serverMs), the p50/p99 latency until each phone has it over several pushes (and the worst single push's
// p99), and how many were lost after every socket was dropped and reconnected with its last sequence.
// The phones are simulated by client processes on the same machine (they share its two cores; one
// process leaves the server the most): lean ones, which cost the machine little per message, and
// socket.io-client ones, whose own decoding takes a core's worth of time at 5,000 (--phones).
// With --server-processes 2 (PostgreSQL only) the phones split between this server and another Lifeline
// process on the same database, as several nodes would run on one machine.
// Usage: npm run bench -- live [--sizes 1000,5000] [--phones lean,socket.io-client]
//                             [--pushes 5] [--db pglite|postgres] [--client-processes 1] [--server-processes 1]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createApp, createLive } from '../server/app.ts';
import { RoadMap } from '../server/network/network.service.ts';
import type { LiveEvents } from '../server/live/events.ts';
import type { Db } from '../server/db/database.ts';
import { databaseUrlOf, openTestDatabase } from '../test/support/app.ts';
import { printRow } from './measure.ts';
import type { PhoneKind } from './live-clients.ts';

const args = process.argv.slice(2);
const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? args[sizesArg + 1]!.split(',').map(Number) : [1000, 5000];
const phonesArg = args.indexOf('--phones');
const phoneKinds = (phonesArg >= 0 ? args[phonesArg + 1]!.split(',') : ['lean', 'socket.io-client']) as PhoneKind[];
const pushesArg = args.indexOf('--pushes');
const pushes = pushesArg >= 0 ? Number(args[pushesArg + 1]) : 5;
const now = () => performance.timeOrigin + performance.now();

function ask<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const listen = (m: { cmd: string }) => {
      if (m.cmd === reply) (child.off('message', listen), resolve(m as T));
    };
    child.on('message', listen);
    child.send(message);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => percentile(ascending(values), 50);

/** The simulated phones, spread over a few processes; every command goes to all of them. */
class Phones {
  private readonly children: ChildProcess[];
  constructor(processes: number) {
    const script = fileURLToPath(new URL('./live-clients.ts', import.meta.url));
    this.children = Array.from({ length: processes }, () => fork(script, { execArgv: ['--import', 'tsx'] }));
  }

  /** Connects each process's share of the tokens (process k to server k modulo their number); resolves with the time until all are in. */
  async connect(urls: string[], tokens: string[], phones: PhoneKind): Promise<number> {
    const share = Math.ceil(tokens.length / this.children.length);
    const t0 = now();
    await Promise.all(
      this.children.map((child, k) => ask(child, { cmd: 'connect', start: { url: urls[k % urls.length], tokens: tokens.slice(k * share, (k + 1) * share), phones } }, 'connected')),
    );
    return now() - t0;
  }

  async reconnect(): Promise<number> {
    const t0 = now();
    await Promise.all(this.children.map((child) => ask(child, { cmd: 'reconnect' }, 'connected')));
    return now() - t0;
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.children.map((child) => ask(child, { cmd: 'disconnect' }, 'disconnected')));
  }

  async waitFor(label: string, expected: number, timeoutMs: number): Promise<{ received: number; latencies: number[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(this.children.map((child) => ask<{ received: number; latencies: number[] }>(child, { cmd: 'count', label }, 'count')));
      const latencies = counts.flatMap((c) => c.latencies);
      if (latencies.length >= expected || Date.now() > deadline) return { received: latencies.length, latencies };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  exit(): void {
    for (const child of this.children) child.send({ cmd: 'exit' });
  }
}

const processesArg = args.indexOf('--client-processes');
const clientProcesses = processesArg >= 0 ? Number(args[processesArg + 1]) : 1;
const serversArg = args.indexOf('--server-processes');
const serverProcesses = serversArg >= 0 ? Number(args[serversArg + 1]) : 1;
const dbArg = args.indexOf('--db');
const kind = (dbArg >= 0 ? args[dbArg + 1] : 'pglite') as 'pglite' | 'postgres';
process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function run(n: number, phoneKind: PhoneKind): Promise<void> {
  const db = await openTestDatabase(kind);
  // Sign-ins made directly in the database: the benchmark measures sockets, not bcrypt.
  const tokens: string[] = [];
  const userIds: number[] = [];
  for (let i = 0; i < n; i += 500) {
    const chunk = Array.from({ length: Math.min(500, n - i) }, (_, j) => i + j);
    const rows = await db.query<{ id: number }>(
      `INSERT INTO users (email, name, role, password_hash) SELECT 'driver' || g || '@bench.local', 'Driver ' || g, 'driver', 'x' FROM unnest($1::int[]) g RETURNING id`,
      [chunk],
    );
    const chunkTokens = rows.map(() => randomBytes(24).toString('base64url'));
    await db.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) SELECT h, u, now() + interval '1 day' FROM unnest($1::text[], $2::int[]) AS t(h, u)`,
      [chunkTokens.map((t) => createHash('sha256').update(t).digest('hex')), rows.map((r) => r.id)],
    );
    tokens.push(...chunkTokens);
    userIds.push(...rows.map((r) => r.id));
  }
  const { outbox, live } = createLive(db);
  const server = createServer(createApp({ db, outbox, live, roads: new RoadMap(db) }));
  const channel = `bench-${randomBytes(4).toString('hex')}`;
  await live.attach(server, { channel });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const others = await Promise.all(Array.from({ length: serverProcesses - 1 }, () => startServerProcess(db, channel)));
  const urls = [`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...others.map((o) => o.url)];
  const phones = new Phones(clientProcesses);

  const held = () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const connectMs = await phones.connect(urls, tokens, phoneKind);

  // Latency runs from the moment the assignment is handed to the outbox: it includes storing it in the
  // outbox (its own transaction) before anything is sent. The first phone's latency is that plus one send.
  // Resolves with the server's own part: until the last socket has been written to.
  const push = async (label: string) => {
    const sentAt = now();
    await outbox.transaction((_tx, notify) => notify(userIds, 'route:assigned', { routeId: 1, planId: null, version: 1, label, sentAt } as LiveEvents['route:assigned']));
    await live.sent();
    return now() - sentAt;
  };
  // The first push after start-up also pays for planning its statements: measured on its own, then the rest.
  await push('cold');
  const cold = await phones.waitFor('cold', n, 30_000);
  const serverMs: number[] = [];
  const perPush: number[][] = [];
  for (let k = 0; k < pushes; k++) {
    await new Promise((r) => setTimeout(r, 1000)); // the acknowledgements of the push before settle
    serverMs.push(await push(`warm-${k}`));
    perPush.push(ascending((await phones.waitFor(`warm-${k}`, n, 30_000)).latencies));
  }
  const sorted = ascending(perPush.flat());

  // Forced reconnect: everyone drops, an assignment is pushed meanwhile, everyone comes back.
  await phones.disconnect();
  await push('while-offline');
  await new Promise((r) => setTimeout(r, 500)); // let the server notice every disconnect before the baseline
  const before = held();
  const reconnectMs = await phones.reconnect();
  const perSocketKb = (held() - before) / 1024 / n;
  const missed = await phones.waitFor('while-offline', n, 30_000);

  printRow({
    case: 'live-push',
    db: kind,
    sockets: n,
    phones: phoneKind,
    serverProcesses,
    clientProcesses,
    connectMs: Math.round(connectMs),
    serverKbPerSocket: Math.round(perSocketKb * 10) / 10,
    coldP99Ms: Math.round(percentile(ascending(cold.latencies), 99)),
    pushes,
    serverMs: Math.round(median(serverMs)),
    firstPhoneMs: Math.round(median(perPush.map((l) => l[0] ?? NaN))),
    p50Ms: Math.round(percentile(sorted, 50)),
    p99Ms: Math.round(percentile(sorted, 99)),
    worstPushP99Ms: Math.round(Math.max(...perPush.map((l) => percentile(l, 99)))),
    maxMs: Math.round(sorted.at(-1) ?? NaN),
    lost: n * pushes - sorted.length,
    reconnectMs: Math.round(reconnectMs),
    lostAfterReconnect: n - missed.received,
  });
  phones.exit();
  for (const other of others) other.process.kill('SIGTERM');
  await live.close();
  await db.drop();
}

/** Another Lifeline process on the same database (several nodes on one machine): it sends to the phones it holds. */
async function startServerProcess(db: Db, channel: string): Promise<{ url: string; process: ChildProcess }> {
  if (kind !== 'postgres') throw new Error('--server-processes above 1 needs --db postgres');
  const port = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../server/main.ts', import.meta.url))], {
    env: { ...process.env, DATABASE_URL: databaseUrlOf({ db }), PORT: String(port), HOST: '127.0.0.1', LIFELINE_SEED_DEMO: 'false', LIFELINE_LIVE_CHANNEL: channel },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Lifeline is running') && resolve());
    child.once('exit', (code) => reject(new Error(`the extra server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

for (const n of sizes) for (const phoneKind of phoneKinds) await run(n, phoneKind);
