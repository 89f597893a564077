// A district day at scale on PGlite, stage by stage: a generated district seeded (`lifeline seed --district`),
// a second survey of as many rows imported by CSV through the HTTP API while another user polls, then the
// day's plan, its approval and dispatch through the API. Each stage is bounded in time and prints one line:
// stage=... households=... ms=... peakRssMb=... ok=true|false (with the reason when not ok).
// Usage: npm run bench -- district [--households N] [--seed S] [--stage-timeout-s T] [--stages seed,import,plan,approve,dispatch]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createLive } from '../server/app.ts';
import { openDatabase } from '../server/db/open.ts';
import { RoadMap } from '../server/network/network.service.ts';
import { generateDistrict, households, type District } from '../seeds/district/generate.ts';
import { seedDistrict, writeDistrictMap } from '../seeds/district/load.ts';
import { measure, printRow } from './measure.ts';
import { percentile, poll, send, signIn } from './http.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const HOUSEHOLDS = Number(option('households', '20000'));
const SEED = Number(option('seed', '1'));
const STAGE_TIMEOUT_MS = Number(option('stage-timeout-s', '300')) * 1000;
const STAGES = new Set(option('stages', 'seed,import,plan,approve,dispatch').split(','));
const PASSWORD = 'district-bench';

type Outcome = { ok: true; fields?: Record<string, string | number | boolean | undefined> } | { ok: false; reason: string; fields?: Record<string, string | number | boolean | undefined> };

/**
 * The time bound when the main thread itself is stuck (a stage's synchronous work): a watchdog thread
 * prints the stage's line straight to stdout and ends the process.
 */
function watchdog(name: string): Worker {
  const line = `stage=${name} households=${HOUSEHOLDS} ok=false reason="timed out after ${STAGE_TIMEOUT_MS / 1000} s with the main thread busy"\n`;
  const code = `const { workerData } = require('node:worker_threads'); setTimeout(() => { require('node:fs').writeSync(1, workerData.line); process.kill(process.pid, 'SIGKILL'); }, workerData.ms);`;
  return new Worker(code, { eval: true, workerData: { line, ms: STAGE_TIMEOUT_MS + 30_000 } });
}

/** Runs one stage within the time bound and prints its line; its value, or undefined when it failed. */
async function stage<T>(name: string, run: () => Promise<{ value: T; outcome: Outcome }>): Promise<T | undefined> {
  const guard = watchdog(name);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${STAGE_TIMEOUT_MS / 1000} s`)), STAGE_TIMEOUT_MS)));
  const cpuBefore = process.cpuUsage();
  const m = await measure(() => Promise.race([run(), timeout]).catch((error: Error) => ({ value: undefined, outcome: { ok: false as const, reason: error.message } })));
  clearTimeout(timer);
  await guard.terminate();
  const cpu = process.cpuUsage(cpuBefore);
  const outcome: Outcome = m.value.outcome;
  printRow({
    stage: name,
    households: HOUSEHOLDS,
    ms: Math.round(m.ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(m.peakRssMb),
    ok: outcome.ok,
    ...outcome.fields,
    ...(outcome.ok ? {} : { reason: JSON.stringify(outcome.reason) }),
  });
  return outcome.ok ? m.value.value : undefined;
}

const csvCell = (value: unknown) => (value === undefined || value === null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));
const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A second survey: `rows` need rows of another district's households (one row per need, several per household). */
function surveyCsv(district: District, rows: number): string {
  const lines = ['name,address,phone,lat,lon,people,community,commodity,quantity,urgency,deadline,elderly_alone,chronic_illness,disabled,pregnant,infant'];
  for (const h of households(district)) {
    for (const n of h.needs) {
      if (lines.length > rows) return lines.join('\n');
      lines.push(
        [h.name, h.address, h.phone, h.lat, h.lon, h.people, h.community, n.commodity, n.quantity, n.urgency, n.deadlineInDays === null ? '' : isoDay(n.deadlineInDays), h.elderlyAlone, h.chronicIllness, h.disabled, h.pregnant, h.infant]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return lines.join('\n');
}

async function run(): Promise<void> {
  // On disk, as the server keeps it: PGlite in memory grows its files by copying them whole, which a district's tables make quadratic.
  const dataDir = mkdtempSync(join(tmpdir(), 'district-bench-'));
  const db = await openDatabase({ dataDir });
  const mapFile = join(dataDir, 'district.osm.gz');
  const seeded = await stage('seed', async () => {
    const district = generateDistrict({ households: HOUSEHOLDS, seed: SEED });
    writeDistrictMap(district, mapFile);
    const summary = await seedDistrict(db, district, PASSWORD);
    return { value: summary, outcome: { ok: true, fields: { needs: summary.needs, compounds: summary.compounds, gates: summary.gates, roadNodes: district.map.nodes.length } } };
  });
  if (!seeded) return;
  const server = createServer(createApp({ db, ...createLive(db), roads: new RoadMap(db, mapFile) })).listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const community = await signIn(base, 'community@lifeline.local', PASSWORD);
  const coordinator = await signIn(base, 'coordinator@lifeline.local', PASSWORD);
  const api = (method: string, path: string, body?: unknown, timeoutMs?: number) =>
    send(`${base}/api${path}`, { method, headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs }).then((r) => ({
      status: r.status,
      body: JSON.parse(r.body || 'null') as Record<string, unknown>,
    }));

  if (STAGES.has('import')) {
    const csv = surveyCsv(generateDistrict({ households: HOUSEHOLDS, seed: SEED + 1 }), HOUSEHOLDS);
    await stage('import', async () => {
      const start = performance.now();
      const importing = send(`${base}/api/needs/import?source=second-survey`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${community}` }, body: csv });
      const polled = await poll(base, coordinator, 20, importing);
      const res = await importing;
      const body = JSON.parse(res.body) as { rows?: number; created?: number; merged?: number; held?: number; failed?: number; detail?: string };
      const rowsPerS = Math.round(HOUSEHOLDS / ((performance.now() - start) / 1000));
      const fields = { rows: body.rows, created: body.created, merged: body.merged, rowsPerS, csvMb: Math.round(csv.length / 2 ** 20), otherRequests: polled.times.length, otherFailed: polled.failed, otherP50Ms: Math.round(percentile(polled.times, 50)), otherP99Ms: Math.round(percentile(polled.times, 99)), otherMaxMs: Math.round(polled.times.at(-1) ?? NaN) };
      return { value: body, outcome: res.status === 200 ? { ok: true, fields } : { ok: false, reason: `${res.status} ${body.detail ?? ''}`, fields } };
    });
  }

  const planId = STAGES.has('plan')
    ? await stage('plan', async () => {
        const started = await api('POST', '/plans', { timeLimitMs: 120_000 });
        if (started.status !== 202) return { value: undefined, outcome: { ok: false, reason: `${started.status} ${String(started.body.detail)}` } };
        const id = started.body.id as number;
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          const plan = await api('GET', `/plans/${id}?limit=1`);
          const status = plan.body.status as string;
          if (status === 'solving') continue;
          const metrics = plan.body.metrics as { overallFillRate?: number } | undefined;
          return status === 'ready'
            ? { value: id, outcome: { ok: true, fields: { fillRate: metrics?.overallFillRate } } }
            : { value: undefined, outcome: { ok: false, reason: `${status}: ${String(plan.body.error)}` } };
        }
      })
    : undefined;

  const approved = planId !== undefined && STAGES.has('approve')
    ? await stage('approve', async () => {
        const res = await api('POST', `/plans/${planId}/approve`, {}, STAGE_TIMEOUT_MS);
        return { value: res.status === 200, outcome: res.status === 200 ? { ok: true } : { ok: false, reason: `${res.status} ${String(res.body.detail)}` } };
      })
    : undefined;

  if (approved && STAGES.has('dispatch')) {
    await stage('dispatch', async () => {
      const res = await api('POST', `/plans/${planId}/dispatch`, {}, STAGE_TIMEOUT_MS);
      const routes = res.body.routes as unknown[] | undefined;
      const unassigned = res.body.unassigned as unknown[] | undefined;
      return { value: undefined, outcome: res.status === 200 ? { ok: true, fields: { routes: routes?.length, unassigned: unassigned?.length } } : { ok: false, reason: `${res.status} ${String(res.body.detail)}` } };
    });
  }
  server.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await run();
// Solver workers of a stage that timed out may still be running: the measurements are done.
process.exit(0);
