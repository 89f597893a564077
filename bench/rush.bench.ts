// A campaign's opening rush through the real HTTP API, the server in its own process (bench/server.ts):
// - main: every household sends 1–3 requests (the same code: retries), plus 10 % bogus codes, each client
//   from its own address; throughput, latency, and against the receipts stored: lost and duplicated entries;
//   beside it, the ceiling: a bare Express handler parsing the same requests, measured the same way;
// - crash: the server is killed -9 mid-burst and restarted; clients retry with the same codes; no entry
//   acknowledged before the kill may be lost, none duplicated;
// - overload: requests offered at 3× the main case's rate without waiting for answers; what comes back.
// On PGlite (files on disk, as `npm start` runs) and on the PostgreSQL server when reachable.
// Usage: npm run bench -- rush [--households N] [--concurrency C] [--crash-households N] [--overload-s S] [--db pglite|postgres]
// (RUSH_PROGRESS=1 prints how far each case has got, every 5 s.)
import type { Db } from '../server/db/database.ts';
import { hashCode, newCode } from '../server/residents/access.service.ts';
import { openCampaign } from '../server/campaigns/campaigns.service.ts';
import type { DatabaseKind } from '../test/support/app.ts';
import { keepAliveClient } from './http.ts';
import { printRow } from './measure.ts';
import { benchDatabase, postgresCpuMs, startServer, type Use } from './server-process.ts';
import { numberOption, postgresReachable, textOption } from './options.ts';

const HOUSEHOLDS = numberOption('households', 20_000);
const CONCURRENCY = numberOption('concurrency', 64);
const CRASH_HOUSEHOLDS = numberOption('crash-households', 5_000);
const OVERLOAD_S = numberOption('overload-s', 10);
const onlyDb = textOption('db');

// ---------------------------------------------------------------------------------------------- the data

/** 20,000 households with codes, written in a few statements (not through the API: the seeding is not measured). */
async function seed(db: Db, households: number): Promise<{ codes: string[]; commodityId: number; userId: number }> {
  const [user] = await db.query<{ id: number }>(`INSERT INTO users (email, name, role, password_hash) VALUES ('coordinator@rush.local', 'C', 'coordinator', 'x') RETURNING id`);
  const [commodity] = await db.query<{ id: number }>(`INSERT INTO commodities (code, name, unit, weight_kg, volume_m3, category) VALUES ('FFP2', 'FFP2 masks', 'box', 0.2, 0.001, 'hygiene') RETURNING id`);
  await db.query(
    `INSERT INTO households (name, address, address_key, phone_key, lat, lon, people, community, elderly_alone, chronic_illness, infant)
     SELECT 'H' || i, i || ' Rue Grimaldi', 'rush ' || i, '', 43.73, 7.42, 1 + i % 5, CASE WHEN i % 2 = 0 THEN 'Condamine' ELSE 'Monte-Carlo' END, i % 7 = 0, i % 5 = 0, i % 13 = 0
     FROM generate_series(1, $1::int) AS i`,
    [households],
  );
  const ids = (await db.query<{ id: number }>('SELECT id FROM households ORDER BY id')).map((r) => r.id);
  const codes = ids.map(() => newCode());
  await db.query('INSERT INTO household_access (code_hash, household_id, issued_by) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])', [
    codes.map(hashCode),
    ids,
    ids.map(() => user!.id),
  ]);
  return { codes, commodityId: commodity!.id, userId: user!.id };
}

const newRush = (db: Db, commodityId: number, userId: number) =>
  openCampaign(db, { commodityId, quantity: 5000, perHouseholdCap: 3, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(), eligibility: {} }, userId);

// ---------------------------------------------------------------------------------------------- the clients

interface Shot {
  /** The household's index, or -1 for a bogus code. */
  household: number;
  code: string;
}

interface Answer {
  status: number;
  receipt?: string;
  ms: number;
  retryAfter: boolean;
}

const addressOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** The phones' connections, kept alive between requests as a browser keeps them. */
const phones = keepAliveClient();

/** Connections the server dropped (an idle keep-alive socket closed as it was reused): sent again, as a phone would. */
let resent = 0;

async function send(base: string, campaignId: number, shot: Shot, index: number): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(base, campaignId, shot, index);
    } catch (error) {
      if (attempt >= 3) throw error;
      resent++;
    }
  }
}

async function sendOnce(base: string, campaignId: number, shot: Shot, index: number): Promise<Answer> {
  const start = performance.now();
  const res = await phones.post(`${base}/api/campaigns/${campaignId}/requests`, { 'x-forwarded-for': addressOf(shot.household >= 0 ? shot.household : 1_000_000 + index) }, { code: shot.code, quantity: 1 + (index % 2) });
  const body = (res.body ? JSON.parse(res.body) : {}) as { receipt?: string };
  return { status: res.status, receipt: body.receipt, ms: performance.now() - start, retryAfter: 'retry-after' in res.headers };
}

/** Every household's 1–3 requests and 10 % bogus ones, shuffled by a fixed rule (no arrival order favoured). */
function shots(codes: string[]): Shot[] {
  const all: Shot[] = codes.flatMap((code, household) => Array.from({ length: 1 + (household % 3) }, () => ({ household, code })));
  for (let i = 0; i < codes.length / 10; i++) all.push({ household: -1, code: newCode() });
  let state = 12345;
  for (let i = all.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** Runs the shots with `limit` in flight; `onError` may retry a failed one (answers its answer) or give up (throws). */
async function closedLoop(count: number, limit: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  const ticker = process.env.RUSH_PROGRESS ? setInterval(() => console.error(`  … ${next}/${count}`), 5000) : undefined;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) await job(next++);
  }));
  clearInterval(ticker);
  return performance.now() - start;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!) : 0);

/** What the database holds: each household's entry receipt. */
async function stored(db: Db, campaignId: number): Promise<{ receipts: Map<number, string>; rows: number }> {
  const rows = await db.query<{ household_id: number; receipt: string }>('SELECT household_id, receipt FROM campaign_entries WHERE campaign_id = $1', [campaignId]);
  const ids = (await db.query<{ id: number }>('SELECT id FROM households ORDER BY id')).map((r) => r.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  return { receipts: new Map(rows.map((r) => [index.get(r.household_id)!, r.receipt])), rows: rows.length };
}

/** Lost: acknowledged but not stored with that receipt; duplicated: a household told two receipts, or stored twice. */
function audit(acknowledged: Map<number, Set<string>>, db: { receipts: Map<number, string>; rows: number }) {
  let lost = 0;
  let duplicated = db.rows - db.receipts.size;
  for (const [household, receipts] of acknowledged) {
    if (receipts.size > 1) duplicated++;
    if (![...receipts].every((r) => db.receipts.get(household) === r)) lost++;
  }
  return { lost, duplicated };
}

// ---------------------------------------------------------------------------------------------- the cases

async function ceiling(all: Shot[]): Promise<number> {
  const server = await startServer(["--bare"]);
  const count = Math.min(all.length, 20_000);
  const ms = await closedLoop(count, CONCURRENCY, async (i) => void (await send(server.base, 1, all[i]!, i)));
  await server.kill();
  return Math.round(count / (ms / 1000));
}

interface Setup {
  kind: DatabaseKind;
  use: Use;
  where: string[];
  codes: string[];
  commodityId: number;
  userId: number;
}

async function main({ kind, use, where, codes, commodityId, userId }: Setup, ceilingPerS: number): Promise<number> {
  const { id } = await use((db) => newRush(db, commodityId, userId));
  const all = shots(codes);
  const server = await startServer(where);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const acknowledged = new Map<number, Set<string>>();
  // CPU per request, beside the rate: on a shared machine it says what the server (and PostgreSQL) spent.
  const cpuBefore = server.cpuMs();
  const databaseCpuBefore = kind === 'postgres' ? postgresCpuMs() : 0;
  const ms = await closedLoop(all.length, CONCURRENCY, async (i) => {
    const shot = all[i]!;
    let answer = await send(server.base, id, shot, i);
    // Told to come back (busy or throttled): the client does, as a phone would.
    while (answer.status === 503 || answer.status === 429) {
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 50));
      answer = await send(server.base, id, shot, i);
    }
    latencies.push(answer.ms);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 200 || answer.status === 201) {
      if (!acknowledged.has(shot.household)) acknowledged.set(shot.household, new Set());
      acknowledged.get(shot.household)!.add(answer.receipt!);
    }
  });
  const serverCpuMs = server.cpuMs() - cpuBefore;
  const databaseCpuMs = kind === 'postgres' ? postgresCpuMs() - databaseCpuBefore : 0;
  const peakRssMb = server.peakRssMb();
  await server.kill();
  const { lost, duplicated } = audit(acknowledged, await use((db) => stored(db, id)));
  const requestsPerS = Math.round(all.length / (ms / 1000));
  latencies.sort((a, b) => a - b);
  printRow({
    case: 'rush',
    db: kind,
    households: codes.length,
    requests: all.length,
    requestsPerS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ceilingRequestsPerS: ceilingPerS,
    ratio: Number((requestsPerS / ceilingPerS).toFixed(2)),
    accepted: acknowledged.size,
    lost,
    duplicated,
    status5xx: [...statuses].filter(([s]) => s >= 500 && s !== 503).reduce((n, [, c]) => n + c, 0),
    busy503: statuses.get(503) ?? 0,
    limited429: statuses.get(429) ?? 0,
    unknown404: statuses.get(404) ?? 0,
    serverPeakRssMb: Math.round(peakRssMb),
    serverCpuMsPerRequest: Number((serverCpuMs / all.length).toFixed(3)),
    ...(kind === 'postgres' ? { databaseCpuMsPerRequest: Number((databaseCpuMs / all.length).toFixed(3)) } : {}),
    resent,
  });
  return requestsPerS;
}

async function crash({ kind, use, where, codes, commodityId, userId }: Setup): Promise<void> {
  const { id } = await use((db) => newRush(db, commodityId, userId));
  const households = codes.slice(0, CRASH_HOUSEHOLDS);
  let server = await startServer(where);
  const beforeKill = new Map<number, Set<string>>();
  const acknowledged = new Map<number, Set<string>>();
  let restarting: Promise<void> | undefined;
  let killed = false;
  let failedSends = 0;
  const ms = await closedLoop(households.length, CONCURRENCY, async (household) => {
    for (;;) {
      try {
        const answer = await send(server.base, id, { household, code: households[household]! }, household);
        if (answer.status !== 200 && answer.status !== 201) throw new Error(`status ${answer.status}`);
        if (!acknowledged.has(household)) acknowledged.set(household, new Set());
        acknowledged.get(household)!.add(answer.receipt!);
        if (!killed) beforeKill.set(household, new Set([answer.receipt!]));
        // A third of the way in, the server dies without warning, and comes back.
        if (!killed && beforeKill.size >= households.length / 3) {
          killed = true;
          restarting = server.kill('SIGKILL').then(async () => void (server = await startServer(where)));
        }
        return;
      } catch {
        failedSends++;
        await (restarting ?? new Promise((r) => setTimeout(r, 50)));
      }
    }
  });
  await server.kill();
  const inDb = await use((db) => stored(db, id));
  const { lost, duplicated } = audit(acknowledged, inDb);
  const lostBeforeKill = audit(beforeKill, inDb).lost;
  printRow({ case: 'rush-crash', db: kind, households: households.length, acknowledgedBeforeKill: beforeKill.size, failedSendsRetried: failedSends, accepted: acknowledged.size, ms: Math.round(ms), lost: lost + lostBeforeKill, duplicated });
}

async function overload({ kind, use, where, codes, commodityId, userId }: Setup, capacityPerS: number): Promise<void> {
  const { id } = await use((db) => newRush(db, commodityId, userId));
  const server = await startServer(where);
  const rate = capacityPerS * 3;
  const statuses = new Map<string, number>();
  const accepted: number[] = [];
  const refused: number[] = [];
  let inFlight = 0;
  let sent = 0;
  let skipped = 0;
  const MAX_IN_FLIGHT = 4000;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  while (performance.now() - start < OVERLOAD_S * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      inFlight++;
      const i = sent;
      pending.push(
        send(server.base, id, { household: i % codes.length, code: codes[i % codes.length]! }, i)
          .then((a) => {
            const key = a.status === 503 || a.status === 429 ? `${a.status}${a.retryAfter ? '+retry-after' : ''}` : String(a.status);
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            (a.status === 200 || a.status === 201 ? accepted : refused).push(a.ms);
          })
          .catch(() => void statuses.set('error', (statuses.get('error') ?? 0) + 1))
          .finally(() => inFlight--),
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  const alive = (await phones.get(`${server.base}/api/health`)).status === 200;
  const peakRssMb = server.peakRssMb();
  await server.kill();
  accepted.sort((a, b) => a - b);
  refused.sort((a, b) => a - b);
  printRow({
    case: 'rush-overload',
    db: kind,
    offeredPerS: rate,
    seconds: OVERLOAD_S,
    sent: sent - skipped,
    clientSkipped: skipped,
    acceptedPerS: Math.round(accepted.length / OVERLOAD_S),
    acceptedP50Ms: percentile(accepted, 0.5),
    acceptedP99Ms: percentile(accepted, 0.99),
    refusedP99Ms: percentile(refused, 0.99),
    statuses: [...statuses].map(([s, n]) => `${s}:${n}`).join(','),
    status5xx: [...statuses].filter(([s]) => s.startsWith('5') && !s.startsWith('503+')).reduce((n, [, c]) => n + c, 0),
    serverAlive: alive,
    serverPeakRssMb: Math.round(peakRssMb),
  });
}

async function run(kind: DatabaseKind): Promise<void> {
  const { use, where, done } = await benchDatabase(kind);
  const seedStart = performance.now();
  const { codes, commodityId, userId } = await use((db) => seed(db, HOUSEHOLDS));
  console.log(`(${kind}: seeded ${HOUSEHOLDS} households with codes in ${Math.round(performance.now() - seedStart)} ms, by SQL)`);
  const setup: Setup = { kind, use, where, codes, commodityId, userId };
  const capacity = await main(setup, await ceiling(shots(codes)));
  await crash(setup);
  await overload(setup, capacity);
  await done();
}


if (onlyDb !== 'postgres') await run('pglite');
if (onlyDb !== 'pglite') {
  if (await postgresReachable()) await run('postgres');
  else console.log('rush on postgres: skipped (no PostgreSQL server at TEST_DATABASE_URL / DATABASE_URL)');
}
phones.close();
