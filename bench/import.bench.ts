// CSV import under load: a 10,000-row needs file imported through the HTTP API on PGlite while another
// user polls GET /api/auth/me every ~20 ms. Prints the import's time and rate, and the other user's
// answer times: an import must not starve everyone else on the single PGlite connection.
// Usage: npm run bench -- import [--rows N] [--poll-ms M]
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createLive } from '../server/app.ts';
import { openTestDatabase } from '../test/support/app.ts';
import { createUser } from '../server/auth/auth.service.ts';
import { RoadMap } from '../server/network/network.service.ts';
import { measure, printRow } from './measure.ts';
import { numberOption } from './options.ts';

const ROWS = numberOption('rows', 10_000);
const POLL_MS = numberOption('poll-ms', 20);

/** A needs file in which one row in ten reports again a household already in the file (a merge). */
function needsCsv(rows: number, commodity: string): string {
  const lines = ['name,address,phone,lat,lon,people,community,commodity,quantity,urgency,elderly_alone,infant'];
  for (let i = 0; i < rows; i++) {
    const h = i % 10 === 9 ? i - 9 : i;
    const phone = `+377 93 ${String(10_000_000 + h).slice(-6)}`;
    lines.push(`Household ${h},${h} Rue Grimaldi,${phone},${(43.73 + (h % 100) * 1e-4).toFixed(4)},7.42,${1 + (h % 5)},Condamine,${commodity},${1 + (i % 4)},normal,${h % 7 === 0 ? 'yes' : 'no'},no`);
  }
  return lines.join('\n');
}

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password' }) });
  return ((await res.json()) as { token: string }).token;
}

/** One request without a client-side time limit (fetch gives up on an answer slower than 300 s). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end(options.body);
  });
}

/**
 * Asks GET /api/auth/me every `everyMs` (one request at a time) until `stop` resolves: the answer times in ms,
 * and how many failed (a request the server cannot even read for a minute is dropped by its headers timeout).
 */
async function poll(base: string, token: string, everyMs: number, stop: Promise<unknown>): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  let done = false;
  void stop.finally(() => (done = true));
  while (!done) {
    const start = performance.now();
    const ok = await send(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status === 200, () => false);
    times.push(performance.now() - start);
    if (!ok) failed++;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { times, failed };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function run(): Promise<void> {
  const db = await openTestDatabase('pglite');
  const server = createServer(createApp({ db, ...createLive(db), roads: new RoadMap(db) })).listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createUser(db, { email: 'community@bench.local', name: 'Importer', role: 'community', password: 'bench-password' });
  await createUser(db, { email: 'coordinator@bench.local', name: 'Someone else', role: 'coordinator', password: 'bench-password' });
  const importer = await signIn(base, 'community@bench.local');
  const other = await signIn(base, 'coordinator@bench.local');
  await db.query(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('RICE', 'Rice', 'bag', 5, 0.01, 'food')`);
  const csv = needsCsv(ROWS, 'RICE');
  let status = 0;
  let body: { created?: number; merged?: number } = {};
  const importing = measure(async () => {
    const res = await send(`${base}/api/needs/import?source=bench`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${importer}` }, body: csv });
    status = res.status;
    body = JSON.parse(res.body) as typeof body;
  });
  const polled = await poll(base, other, POLL_MS, importing);
  const times = polled.times.sort((a, b) => a - b);
  const m = await importing;
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM needs')) as [{ n: number }];
  printRow({
    case: 'import-csv',
    db: 'pglite',
    rows: ROWS,
    status,
    created: body.created,
    merged: body.merged,
    needs: n,
    ms: Math.round(m.ms),
    rowsPerS: Math.round(ROWS / (m.ms / 1000)),
    peakRssMb: Math.round(m.peakRssMb),
    otherRequests: times.length,
    otherFailed: polled.failed,
    otherP50Ms: Math.round(percentile(times, 50)),
    otherP99Ms: Math.round(percentile(times, 99)),
    otherMaxMs: Math.round(times.at(-1) ?? NaN),
  });
  server.close();
  await db.drop();
}

await run();
