// Intake throughput: donations and needs per second through the real HTTP API under concurrent load, the
// server in its own process (bench/server-process.ts: the load generator's CPU is not counted as the server's),
// on PGlite and on the PostgreSQL server, with every request retried once (same Idempotency-Key) to
// prove that nothing is lost and nothing is duplicated; then the latency of single creates with and without
// an Idempotency-Key side by side, whether the first requests sent are the first answered, and how long the
// first wave took to reach the server (send to Express), on fresh connections (cold) and after a warm-up.
// Usage: npm run bench -- intake [--records N] [--concurrency C] [--latency-records N] [--db pglite|postgres]
import type { DatabaseKind } from '../test/support/app.ts';
import { createUser } from '../server/auth/auth.service.ts';
import { keepAliveClient, signIn } from './http.ts';
import { measure, printRow } from './measure.ts';
import { numberOption, postgresReachable, textOption } from './options.ts';
import { benchDatabase, postgresCpuMs, startServer } from './server-process.ts';

const RECORDS = numberOption('records', 2000);
const CONCURRENCY = numberOption('concurrency', 32);
const LATENCY_RECORDS = numberOption('latency-records', 400);
const onlyDb = textOption('db');


/** Runs `count` jobs with at most `limit` in flight. */
async function pool(count: number, limit: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) await job(next++);
  }));
}

/** When each tagged request reached the server (its headers parsed; epoch ms from the server's x-bench-arrived), by tag. */
const arrivals = new Map<string, number>();
const now = () => performance.timeOrigin + performance.now();

/**
 * Like pool, timing each request from its submission, noting the order in which they finish, and how long
 * each took to reach the server (`request` sends its tag in an x-bench-request header).
 */
async function timed(label: string, count: number, limit: number, request: (i: number, tag: string) => Promise<number>) {
  const latencies: number[] = [];
  const arriveMs: number[] = [];
  const finishOrder: number[] = [];
  await pool(count, limit, async (i) => {
    const start = now();
    const status = await request(i, `${label}-${i}`);
    if (status !== 201) throw new Error(`request ${i} answered ${status}`);
    latencies[i] = now() - start;
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
  const { use, where, done } = await benchDatabase(kind);
  const { warehouse, commodity } = await use(async (db) => {
    for (const role of ['coordinator', 'charity', 'community'] as const) {
      await createUser(db, { email: `${role}@bench.local`, name: role, role, password: 'bench-password' });
    }
    const [warehouse] = await db.query<{ id: number }>(`INSERT INTO warehouses (name, address, lat, lon, capacity_weight_kg, capacity_volume_m3) VALUES ('W', 'A', 43.73, 7.42, 1000, 10) RETURNING id`);
    const [commodity] = await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('R', 'Rice', 'bag', 5, 0.01, 'food') RETURNING id`);
    return { warehouse, commodity };
  });
  const server = await startServer(where);
  const base = server.base;
  const tokens = { coordinator: await signIn(base, 'coordinator@bench.local', 'bench-password'), charity: await signIn(base, 'charity@bench.local', 'bench-password'), community: await signIn(base, 'community@bench.local', 'bench-password') };
  const client = keepAliveClient(CONCURRENCY);
  const send = async (path: string, token: string, key: string | undefined, body: unknown, tag?: string) => {
    const headers = { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}), ...(tag ? { 'x-bench-request': tag } : {}) };
    const res = await client.post(`${base}${path}`, headers, body);
    if (tag) arrivals.set(tag, Number(res.headers['x-bench-arrived']));
    return res.status;
  };
  // Only the records of the throughput cases are counted (the latency runs pledge as other donors); PGlite's
  // files are read once the server has stopped.
  const counted: { name: string; records: number; ms: number; cpuMs: number; databaseCpuMs: number; peakRssMb: number; failures: number }[] = [];
  const donate = (key: string | undefined, i: number, tag?: string) =>
    send('/api/donations', tokens.charity, key, { warehouseId: warehouse!.id, donorName: `${key?.startsWith('donation-') ? 'Intake' : 'Latency'} donor ${i}`, items: [{ commodityId: commodity!.id, quantity: 1 + (i % 9) }] }, tag);
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
      request: (i: number) => donate(`donation-${i}`, i),
    },
    {
      name: 'needs',
      request: (i: number) =>
        send('/api/needs', tokens.community, `need-${i}`, {
          household: { name: `H${i}`, address: `${i} Rue Grimaldi`, phone: `+377 93 ${String(10_000_000 + i).slice(-6)}`, lat: 43.73 + (i % 100) * 1e-4, lon: 7.42, people: 1 + (i % 5), community: 'Condamine', elderlyAlone: i % 7 === 0 },
          commodityId: commodity!.id,
          quantity: 1 + (i % 4),
        }),
    },
  ];
  for (const c of cases) {
    let failures = 0;
    const cpuBefore = server.cpuMs();
    const databaseCpuBefore = kind === 'postgres' ? postgresCpuMs() : 0;
    // Each record is sent twice (a retry of the same request), interleaved with other requests.
    const m = await measure(() =>
      pool(RECORDS * 2, CONCURRENCY, async (j) => {
        const status = await c.request(j % RECORDS);
        if (status !== 201) failures++;
      }),
    );
    counted.push({ name: c.name, records: RECORDS, ms: m.ms, cpuMs: server.cpuMs() - cpuBefore, databaseCpuMs: kind === 'postgres' ? postgresCpuMs() - databaseCpuBefore : 0, peakRssMb: server.peakRssMb(), failures });
  }
  client.close();
  await server.kill();
  const stored = await use(async (db) => ({
    donations: Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM donations WHERE donor_name LIKE 'Intake %'`))[0]!.n),
    needs: Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM needs'))[0]!.n),
  }));
  for (const c of counted) {
    const n = stored[c.name as keyof typeof stored];
    printRow({
      case: `intake-${c.name}`,
      db: kind,
      records: RECORDS,
      requests: RECORDS * 2,
      concurrency: CONCURRENCY,
      ms: Math.round(c.ms),
      recordsPerS: Math.round(RECORDS / (c.ms / 1000)),
      requestsPerS: Math.round((RECORDS * 2) / (c.ms / 1000)),
      // The server's CPU per record (its two requests) and the records one core would take per second at that cost.
      serverCpuMsPerRecord: c.cpuMs / RECORDS,
      recordsPerCpuS: Math.round(RECORDS / (c.cpuMs / 1000)),
      // The PostgreSQL server's CPU per record (on PGlite the database runs inside the server process).
      ...(kind === 'postgres' ? { databaseCpuMsPerRecord: c.databaseCpuMs / RECORDS } : {}),
      serverPeakRssMb: Math.round(c.peakRssMb),
      stored: n,
      lost: Math.max(0, RECORDS - n),
      duplicated: Math.max(0, n - RECORDS),
      non201: c.failures,
    });
  }
  await done();
}

if (onlyDb !== 'postgres') await run('pglite');
if (onlyDb !== 'pglite') {
  if (await postgresReachable()) await run('postgres');
  else console.log('intake on postgres: skipped (no PostgreSQL server at TEST_DATABASE_URL / DATABASE_URL)');
}
