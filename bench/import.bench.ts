// CSV import under load: a 10,000-row needs file imported through the HTTP API on PGlite while another
// user polls GET /api/auth/me every ~20 ms. Prints the import's time and rate, and the other user's
// answer times: an import must not starve everyone else on the single PGlite connection.
// Usage: npm run bench -- import [--rows N] [--poll-ms M]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createLive } from '../server/app.ts';
import { openTestDatabase } from '../test/support/app.ts';
import { createUser } from '../server/auth/auth.service.ts';
import { RoadMap } from '../server/network/network.service.ts';
import { measure, printRow } from './measure.ts';
import { percentile, poll, send, signIn } from './http.ts';
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

async function run(): Promise<void> {
  const db = await openTestDatabase('pglite');
  const server = createServer(createApp({ db, ...createLive(db), roads: new RoadMap(db) })).listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createUser(db, { email: 'community@bench.local', name: 'Importer', role: 'community', password: 'bench-password' });
  await createUser(db, { email: 'coordinator@bench.local', name: 'Someone else', role: 'coordinator', password: 'bench-password' });
  const importer = await signIn(base, 'community@bench.local', 'bench-password');
  const other = await signIn(base, 'coordinator@bench.local', 'bench-password');
  await db.query(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('RICE', 'Rice', 'bag', 5, 0.01, 'food')`);
  const csv = needsCsv(ROWS, 'RICE');
  let status = 0;
  let body: { created?: number; merged?: number } = {};
  // CPU of the whole process (PGlite's thread included): wall time says more of the machine's load than of the import.
  const cpuBefore = process.cpuUsage();
  const importing = measure(async () => {
    const res = await send(`${base}/api/needs/import?source=bench`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${importer}` }, body: csv });
    status = res.status;
    body = JSON.parse(res.body) as typeof body;
  });
  const polled = await poll(base, other, POLL_MS, importing);
  const times = polled.times;
  const m = await importing;
  const cpu = process.cpuUsage(cpuBefore);
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
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
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
