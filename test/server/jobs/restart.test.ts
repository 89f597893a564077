// Jobs outlive the process that runs them: a server killed mid-solve retries the job when it starts again
// (PGlite), and `lifeline worker` processes on a shared PostgreSQL server take the jobs a server queues,
// one taking over from another that was killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, databaseUrlOf, freePort, jobsSchemaOf, startTestApp, type TestApp } from '../../support/app.ts';
import { twoWarehouses, type TwoWarehouses } from '../../support/warehouses.ts';
import { connect } from '../../support/sockets.ts';
import { openPglite } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { solving } from '../../../server/plans/plans.service.ts';

/** Starts a Lifeline process and resolves once it prints `ready`; it is killed if the test forgets it. */
async function launch(args: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, HOST: '127.0.0.1', LIFELINE_SEED_DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk) && output.includes(ready) && resolve());
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Api = ReturnType<typeof request>;
const jobOf = async (api: Api, token: string, id: string) => (await api.get(`/api/jobs/${id}`).set(bearer(token)).expect(200)).body;

/** Waits until the job has started running (the first plan of a process builds its road network: seconds). */
async function untilRunning(api: Api, token: string, id: string): Promise<void> {
  await expect.poll(async () => (await jobOf(api, token, id)).state, { timeout: 120_000, interval: 20 }).toBe('running');
}

describe('a plan whose server was killed mid-solve (PGlite)', () => {
  it('is solved once when the server starts again: the job retried, one plan, each allocation once', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-jobs-'));
    let server: ChildProcess | undefined;
    try {
      // The records are made in this process on the server's files, then handed over to it.
      const db = await openPglite(join(dir, 'pglite'));
      await migrate(db);
      const t = await startTestApp('pglite', Object.assign(db, { drop: () => db.close() }));
      const s = await twoWarehouses(t);
      const token = t.tokens.coordinator;
      await t.close();
      const port = await freePort();
      const env = { DATA_DIR: dir, PORT: String(port) };
      const api = request(`http://127.0.0.1:${port}`);
      server = await launch(['--import', 'tsx', 'server/main.ts'], env, 'is running at');
      const created = (await api.post('/api/plans').set(bearer(token)).send({ commodityIds: [s.rice] }).expect(202)).body;
      await untilRunning(api, token, created.jobId);
      await killed(server);

      server = await launch(['--import', 'tsx', 'server/main.ts'], env, 'is running at');
      await expect.poll(async () => (await api.get(`/api/plans/${created.id}`).set(bearer(token))).body.status, { timeout: 300_000, interval: 200 }).toBe('ready');
      expect(await jobOf(api, token, created.jobId)).toMatchObject({ state: 'done', attempts: 2 });
      const plans = (await api.get('/api/plans').set(bearer(token)).expect(200)).body.items;
      expect(plans.map((p: { id: number }) => p.id)).toEqual([created.id]);
      const allocations: { needId: number; lotId: number }[] = (await api.get(`/api/plans/${created.id}`).set(bearer(token))).body.allocations;
      expect(allocations.length).toBeGreaterThan(0);
      expect(new Set(allocations.map((a) => `${a.needId}:${a.lotId}`)).size).toBe(allocations.length);
    } finally {
      if (server && server.exitCode === null && server.signalCode === null) await killed(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('lifeline worker processes on a shared PostgreSQL server', () => {
  let t: TestApp;
  let s: TwoWarehouses;
  const channel = `test-${randomBytes(4).toString('hex')}`;
  const workers: ChildProcess[] = [];
  const worker = async () => {
    const env = { DATABASE_URL: databaseUrlOf(t), LIFELINE_JOBS_SCHEMA: jobsSchemaOf(t.db), LIFELINE_LIVE_CHANNEL: channel };
    const started = await launch(['bin/lifeline.js', 'worker'], env, 'Lifeline worker');
    workers.push(started);
    return started;
  };
  beforeAll(async () => {
    // This server queues its solves and runs none (LIFELINE_JOBS=off): only a worker can take them.
    t = await startTestApp('postgres', undefined, { process: false });
    s = await twoWarehouses(t);
  });
  afterAll(async () => {
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) await killed(child);
    await t.close();
  });

  it('take the plans a server queues; one killed mid-solve is taken over by another, solved once, and the coordinator hears it live', { timeout: 600_000 }, async () => {
    const url = await t.listen({ channel });
    const token = t.tokens.coordinator;
    const first = await worker();
    const created = (await t.api.post('/api/plans').set(bearer(token)).send({ commodityIds: [s.rice] }).expect(202)).body;
    await untilRunning(t.api, token, created.jobId);
    await killed(first);
    const socket = connect(url, token);
    await socket.hello;
    await worker();
    await solving.get(created.id);
    expect(await jobOf(t.api, token, created.jobId)).toMatchObject({ state: 'done', attempts: 2 });
    expect((await t.api.get(`/api/plans/${created.id}`).set(bearer(token))).body.status).toBe('ready');
    await socket.next((e) => e.type === 'plan:status' && (e.data as { planId: number; status: string }).planId === created.id && (e.data as { status: string }).status === 'ready');
    socket.close();

    const next = (await t.api.post('/api/plans').set(bearer(token)).send({ commodityIds: [s.water] }).expect(202)).body;
    await solving.get(next.id);
    expect(await jobOf(t.api, token, next.jobId)).toMatchObject({ state: 'done', attempts: 1 });
  });
});
