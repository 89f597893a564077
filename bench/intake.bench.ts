// Intake throughput: donations and needs per second through the real HTTP API under concurrent load,
// on PGlite and on the PostgreSQL server, with every request retried once (same Idempotency-Key) to
// prove that nothing is lost and nothing is duplicated; then the latency of single creates with and without
// an Idempotency-Key side by side, whether the first requests sent are the first answered, and how long the
// first wave took to reach the server (send to Express), on fresh connections (cold) and after a warm-up.
// Usage: npm run bench -- intake [--records N] [--concurrency C] [--latency-records N]
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createLive } from '../server/app.ts';
import { openTestDatabase, type DatabaseKind } from '../test/support/app.ts';
import { createUser } from '../server/auth/auth.service.ts';
import { measure, printRow } from './measure.ts';
import { numberOption, postgresReachable } from './options.ts';
import { RoadMap } from '../server/network/network.service.ts';

const RECORDS = numberOption('records', 2000);
const CONCURRENCY = numberOption('concurrency', 32);
const LATENCY_RECORDS = numberOption('latency-records', 400);


async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password' }) });
  return ((await res.json()) as { token: string }).token;
}

/** Runs `count` jobs with at most `limit` in flight. */
async function pool(count: number, limit: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) await job(next++);
  }));
}

/** When each tagged request reached the app (its headers parsed), by tag. */
const arrivals = new Map<string, number>();

/**
 * Like pool, timing each request from its submission, noting the order in which they finish, and how long
 * each took to reach the server (`request` sends its tag in an x-bench-request header).
 */
async function timed(label: string, count: number, limit: number, request: (i: number, tag: string) => Promise<number>) {
  const latencies: number[] = [];
  const arriveMs: number[] = [];
  const finishOrder: number[] = [];
  await pool(count, limit, async (i) => {
    const start = performance.now();
    const status = await request(i, `${label}-${i}`);
    if (status !== 201) throw new Error(`request ${i} answered ${status}`);
    latencies[i] = performance.now() - start;
    arriveMs[i] = arrivals.get(`${label}-${i}`)! - start;
    finishOrder.push(i);
  });
  return { latencies, arriveMs, finishOrder };
}

const percentile = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);

function percentiles(latencies: number[]): Record<string, number> {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: Math.round(sorted.at(-1)!) };
}

/**
 * Where the first wave of requests (the first `limit` sent) finished: fair is near the start, starved near
 * the end; and how long that wave took to reach the server (median and worst).
 */
function fairness({ finishOrder, arriveMs }: { finishOrder: number[]; arriveMs: number[] }, limit: number): Record<string, number> {
  const places = finishOrder.flatMap((i, place) => (i < limit ? [place + 1] : []));
  const arrive = arriveMs.slice(0, limit).sort((a, b) => a - b);
  return { firstWaveLastDone: Math.max(...places), ofRequests: finishOrder.length, firstWaveArriveP50Ms: percentile(arrive, 0.5), firstWaveArriveMaxMs: Math.round(arrive.at(-1)!) };
}

async function run(kind: DatabaseKind): Promise<void> {
  const db = await openTestDatabase(kind);
  const app = createApp({ db, ...createLive(db), roads: new RoadMap(db) });
  const server: Server = createServer((req, res) => {
    const tag = req.headers['x-bench-request'];
    if (typeof tag === 'string') arrivals.set(tag, performance.now());
    void app(req, res);
  }).listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const role of ['coordinator', 'charity', 'community'] as const) {
    await createUser(db, { email: `${role}@bench.local`, name: role, role, password: 'bench-password' });
  }
  const tokens = { coordinator: await signIn(base, 'coordinator@bench.local'), charity: await signIn(base, 'charity@bench.local'), community: await signIn(base, 'community@bench.local') };
  const send = async (path: string, token: string, key: string | undefined, body: unknown, tag?: string) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}), ...(tag ? { 'x-bench-request': tag } : {}) };
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  };
  const [warehouse] = await db.query<{ id: number }>(`INSERT INTO warehouses (name, address, lat, lon, capacity_weight_kg, capacity_volume_m3) VALUES ('W', 'A', 43.73, 7.42, 1000, 10) RETURNING id`);
  const [commodity] = await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('R', 'Rice', 'bag', 5, 0.01, 'food') RETURNING id`);
  const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  let failures = 0;
  const donate = (key: string | undefined, i: number, tag?: string) =>
    send('/api/donations', tokens.charity, key, { warehouseId: warehouse!.id, donorName: `Donor ${i}`, items: [{ commodityId: commodity!.id, quantity: 1 + (i % 9) }] }, tag);
  // The first batch goes on fresh connections (each new one must be accepted by the server's event loop):
  // it is shown apart as the cold case, and both cases compared are measured after it.
  const cold = await timed(`${kind}-cold`, LATENCY_RECORDS, CONCURRENCY, (i, tag) => donate(undefined, i, tag));
  printRow({ case: 'intake-latency-cold', db: kind, idempotencyKey: false, requests: LATENCY_RECORDS, concurrency: CONCURRENCY, ...percentiles(cold.latencies), ...fairness(cold, CONCURRENCY) });
  for (const keyed of [false, true]) {
    const result = await timed(`${kind}-${keyed}`, LATENCY_RECORDS, CONCURRENCY, (i, tag) => donate(keyed ? `latency-${i}` : undefined, i, tag));
    printRow({ case: 'intake-latency', db: kind, idempotencyKey: keyed, requests: LATENCY_RECORDS, concurrency: CONCURRENCY, ...percentiles(result.latencies), ...fairness(result, CONCURRENCY) });
  }
  const cases = [
    {
      name: 'donations',
      table: 'donations',
      request: (i: number) => donate(`donation-${i}`, i),
    },
    {
      name: 'needs',
      table: 'needs',
      request: (i: number) =>
        send('/api/needs', tokens.community, `need-${i}`, {
          household: { name: `H${i}`, address: `${i} Rue Grimaldi`, phone: `+377 93 ${String(10_000_000 + i).slice(-6)}`, lat: 43.73 + (i % 100) * 1e-4, lon: 7.42, people: 1 + (i % 5), community: 'Condamine', elderlyAlone: i % 7 === 0 },
          commodityId: commodity!.id,
          quantity: 1 + (i % 4),
        }),
    },
  ];
  for (const c of cases) {
    const before = await count(c.table);
    // Each record is sent twice (a retry of the same request), interleaved with other requests.
    const m = await measure(() =>
      pool(RECORDS * 2, CONCURRENCY, async (j) => {
        const status = await c.request(j % RECORDS);
        if (status !== 201) failures++;
      }),
    );
    const n = (await count(c.table)) - before;
    printRow({
      case: `intake-${c.name}`,
      db: kind,
      records: RECORDS,
      requests: RECORDS * 2,
      concurrency: CONCURRENCY,
      ms: Math.round(m.ms),
      recordsPerS: Math.round(RECORDS / (m.ms / 1000)),
      requestsPerS: Math.round((RECORDS * 2) / (m.ms / 1000)),
      peakRssMb: Math.round(m.peakRssMb),
      stored: n,
      lost: Math.max(0, RECORDS - n),
      duplicated: Math.max(0, n - RECORDS),
      non201: failures,
    });
  }
  server.close();
  await db.drop();
}

await run('pglite');
if (await postgresReachable()) await run('postgres');
else console.log('intake on postgres: skipped (no PostgreSQL server at TEST_DATABASE_URL / DATABASE_URL)');
